"""Office settings: config.toml, overridden by DISCLOSURE_<SECTION>__<KEY> variables.

Nothing is loaded at import time: call `load_settings(path)`. Validation happens on load, so a
bad value is reported with its key before anything runs. The sections' models are in
`disclosure.settings_models` (re-exported here).

The environment is read as pydantic-settings reads it (prefix `DISCLOSURE_`, nested keys
after `__`, names in any case, variables over the file). The common case, variables that
set one text, number or yes/no key of a section, is merged here; any other variable is left
to pydantic-settings itself (`disclosure.settings_env`), imported only then. Why not always
pydantic-settings: importing it costs about 50 ms (its sources pull in asyncio, email and
importlib.metadata), a fifth of a `disclosure deadline` run (issue 19); tests/test_settings_env.py
checks that both ways give the same `Settings`, or the same errors, for the same environment.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from disclosure.setting_errors import SETTING_ERRORS, toml_syntax_error
from disclosure.settings_models import (
    APPROVAL_ROLES,
    ApprovalSettings,
    BackupSettings,
    CalendarSettings,
    Closure,
    DatabaseSettings,
    Department,
    DocumentSettings,
    Leader,
    LetterSettings,
    NotifierSettings,
    OfficeSettings,
    PlatformSettings,
    RegistrationSettings,
    RemedySettings,
    ReportSettings,
    RetentionSettings,
    RuleSettings,
    ServiceSettings,
    Settings,
    SmtpSettings,
    TargetRule,
    TargetSettings,
    TaskSettings,
    WebSettings,
    escalates,
)

__all__ = [
    "APPROVAL_ROLES",
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "ApprovalSettings",
    "BackupSettings",
    "CalendarSettings",
    "Closure",
    "DatabaseSettings",
    "Department",
    "DocumentSettings",
    "Leader",
    "LetterSettings",
    "NotifierSettings",
    "OfficeSettings",
    "PlatformSettings",
    "RegistrationSettings",
    "RemedySettings",
    "ReportSettings",
    "RetentionSettings",
    "RuleSettings",
    "ServiceSettings",
    "Settings",
    "SettingsError",
    "SmtpSettings",
    "TargetRule",
    "TargetSettings",
    "TaskSettings",
    "WebSettings",
    "escalates",
    "find_config",
    "load_settings",
]

CONFIG_ENV = "DISCLOSURE_CONFIG"
DEFAULT_CONFIG = Path("config.toml")
ENV_PREFIX = "DISCLOSURE_"  # as disclosure.settings_env
_SCALARS = (str, int, float, bool)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


class SettingsError(ValueError):
    """config.toml or an environment variable holds a value that cannot be used."""


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """`--config`, then $DISCLOSURE_CONFIG, then ./config.toml; None means built-in defaults."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise SettingsError(f"配置文件不存在：{p}")
        return p
    env = os.environ.get(CONFIG_ENV)
    if env:
        p = Path(env)
        if not p.is_file():
            raise SettingsError(f"{CONFIG_ENV} 指向的配置文件不存在：{p}")
        return p
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def load_settings(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Load and validate settings. `path=None` searches as `find_config` does.

    `overrides` (section → mapping) are merged over the file, for tests and tools.
    """
    found = find_config(path)
    data: dict[str, Any] = {}
    if found is not None:
        try:  # UTF-8, with or without the byte-order mark Windows editors write
            data = tomllib.loads(found.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise SettingsError(f"配置文件须以 UTF-8 编码保存（{found}）") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(toml_syntax_error(exc, found)) from exc
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    try:
        settings = _validated(data, os.environ)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        reason = SETTING_ERRORS.get(first["type"], str(first["msg"]))
        said = str(first.get("ctx", {}).get("error", ""))
        if first["type"] == "value_error" and _CHINESE.search(said):
            reason = said  # a validator's own Chinese reason
        raise SettingsError(f"配置项 {where} 无效：{reason}") from exc
    settings.config_path = str(found.resolve()) if found else ""
    return settings


def _validated(data: dict[str, Any], environ: Mapping[str, str]) -> Settings:
    """`data` (the file) overridden by the environment, validated."""
    merged = _env_merged(data, environ)
    if merged is None:
        from disclosure.settings_env import settings_from_env

        return settings_from_env(data)
    return Settings(**merged)


def _env_merged(data: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any] | None:
    """`data` with the environment's variables for settings merged in, as pydantic-settings
    merges them; None when a variable is not a plain <SECTION>__<KEY> of a scalar key."""
    found: dict[tuple[str, str], str] = {}
    for name, value in environ.items():
        if name[: len(ENV_PREFIX)].upper() != ENV_PREFIX:
            continue
        section, sep, key = name[len(ENV_PREFIX) :].lower().partition("__")
        if section not in Settings.model_fields:
            continue  # not a setting (DISCLOSURE_CONFIG, DISCLOSURE_ACTOR, ...): ignored
        if not sep or not _scalar_key(section, key) or (section, key) in found:
            return None
        found[(section, key)] = value
    if not found:
        return data
    merged = dict(data)
    for (section, key), value in found.items():
        current = merged.get(section)
        merged[section] = {**current, key: value} if isinstance(current, dict) else {key: value}
    return merged


def _scalar_key(section: str, key: str) -> bool:
    """Is `key` a text, number, yes/no or one-of-texts field of the model of `section`?"""
    model = Settings.model_fields[section].annotation
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return False
    field = model.model_fields.get(key)
    if field is None:
        return False
    kind = field.annotation
    if get_origin(kind) is Literal:
        return all(type(v) is str for v in get_args(kind))
    return kind in _SCALARS
