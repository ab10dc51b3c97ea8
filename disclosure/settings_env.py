"""Settings through pydantic-settings, for environment variables the quick path does not take.

`disclosure.settings.load_settings` merges plain DISCLOSURE_<SECTION>__<KEY> variables of a
text, number or yes/no key itself (no pydantic-settings to import: it costs a command's
start-up more than the rest of the settings). Anything else (a whole section as JSON, a list,
a third level, an unknown key, names differing only in case) comes here, where
pydantic-settings reads the environment as it always did: the variables win over the file,
which is passed in as init values. tests/test_settings_env.py checks both give equal settings.
"""

from __future__ import annotations

from typing import Any

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from disclosure.settings_models import Settings

ENV_PREFIX = "DISCLOSURE_"
ENV_NESTED_DELIMITER = "__"


class EnvSettings(BaseSettings, Settings):
    """`Settings` read with pydantic-settings (environment over init values)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=ENV_NESTED_DELIMITER, extra="forbid"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment variables win over the file, which is passed in as init values.
        return (env_settings, init_settings)


def settings_from_env(data: dict[str, Any]) -> Settings:
    """`data` (the file's values) overridden by the environment: a `Settings`, not a subclass,
    holding the values pydantic-settings validated (raises pydantic's ValidationError)."""
    read = EnvSettings(**data)
    return Settings.model_construct(_fields_set=read.model_fields_set, **dict(read))
