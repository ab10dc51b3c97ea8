"""Settings read from the environment: the quick merge (disclosure.settings) gives the same
settings, or the same first error, as pydantic-settings (disclosure.settings_env)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from disclosure import settings as settings_module
from disclosure.settings import Settings, load_settings
from disclosure.settings_env import settings_from_env

QUICK = [
    {},
    {"DISCLOSURE_DATABASE__URL": "sqlite:////tmp/x.db"},
    {"disclosure_database__url": "sqlite:////tmp/lower.db"},
    {"DISCLOSURE_Database__Echo": "true"},
    {"DISCLOSURE_DATABASE__ECHO": "1"},
    {"DISCLOSURE_DATABASE__ECHO": "off"},
    {"DISCLOSURE_DATABASE__ECHO": "perhaps"},
    {"DISCLOSURE_DATABASE__BUSY_TIMEOUT": "5"},
    {"DISCLOSURE_DATABASE__BUSY_TIMEOUT": "0"},
    {"DISCLOSURE_DATABASE__BUSY_TIMEOUT": "abc"},
    {"DISCLOSURE_SMTP__SECURITY": "tls", "DISCLOSURE_SMTP__PORT": "465"},
    {"DISCLOSURE_SMTP__SECURITY": "ssl"},
    {"DISCLOSURE_SMTP__PORT": "25.5"},
    {"DISCLOSURE_WEB__PORT": "8001", "DISCLOSURE_WEB__HTTPS": "yes"},
    {"DISCLOSURE_WEB__SESSION_HOURS": "1e3"},
    {"DISCLOSURE_OFFICE__AGENCY_NAME": ""},
    {"DISCLOSURE_OFFICE__AGENCY_NAME": '"某局"'},
    {"DISCLOSURE_OFFICE__AGENCY_NAME": '{"a": 1}'},
    {"DISCLOSURE_OFFICE__COOPERATION_LEAD_DAYS": "21"},
    {"DISCLOSURE_NOTIFIER__ON_DUE_DAY": "false", "DISCLOSURE_NOTIFIER__OUTBOX_DIR": "o"},
    {"DISCLOSURE_BACKUP__TIME": "25:00"},
    {"DISCLOSURE_BACKUP__TIME": ""},
    {"DISCLOSURE_TASKS__REVIEW_EVERY": "weekly"},
    {"DISCLOSURE_LETTERS__DISCLOSE_WAIT_DAYS": "99"},
    {"DISCLOSURE_CONFIG": "elsewhere.toml", "DISCLOSURE_ACTOR": "clerk"},
    {"DISCLOSURE_TEST_POSTGRES_URL": "postgresql://x", "DISCLOSURE_DATABASEX": "1"},
]
# Left to pydantic-settings: JSON, lists, a third level, unknown keys, a top-level scalar.
SLOW = [
    {"DISCLOSURE_DATABASE": '{"url": "sqlite:////tmp/json.db"}'},
    {"DISCLOSURE_NOTIFIER__DAYS_AHEAD": "[7, 1]"},
    {"DISCLOSURE_NOTIFIER__DAYS_AHEAD": "7"},
    {"DISCLOSURE_TARGETS__DEFAULT__DAYS_BEFORE_DUE": "3"},
    {"DISCLOSURE_DATABASE__BOGUS": "1"},
    {"DISCLOSURE_DATABASE__": "1"},
    {"DISCLOSURE_DEPARTMENTS": '[{"code": "a", "name": "甲"}]'},
    {"DISCLOSURE_CONFIG_PATH": "x"},
    {"DISCLOSURE_DATABASE__URL": "a", "disclosure_database__url": "b"},
]
FILES: list[dict[str, Any]] = [
    {},
    {"database": {"url": "sqlite:///file.db", "echo": True}, "web": {"port": 9000}},
    {"database": 5},
    {"smtp": {"security": "bogus"}},
]


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in list(os.environ):
        if name.upper().startswith("DISCLOSURE_"):
            monkeypatch.delenv(name)

    def set_all(env: dict[str, str]) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)

    return set_all


def _outcome(make: Any) -> Settings | list[dict[str, Any]]:
    try:
        return make()  # type: ignore[no-any-return]
    except ValidationError as exc:
        return [{k: e[k] for k in ("loc", "type", "msg", "input")} for e in exc.errors()]


@pytest.mark.parametrize("data", FILES)
@pytest.mark.parametrize("env", QUICK + SLOW)
def test_quick_merge_equals_pydantic_settings(
    environ: Any, env: dict[str, str], data: dict[str, Any]
) -> None:
    environ(env)
    if env in SLOW:
        assert settings_module._env_merged(data, os.environ) is None
    else:
        assert settings_module._env_merged(data, os.environ) is not None
    quick = _outcome(lambda: settings_module._validated(data, os.environ))
    slow = _outcome(lambda: settings_from_env(data))
    assert quick == slow
    if isinstance(quick, Settings):
        assert type(quick) is Settings and type(slow) is Settings
        assert quick.model_dump() == slow.model_dump()  # type: ignore[union-attr]


def test_environment_wins_over_the_file(environ: Any, tmp_path: Any) -> None:
    (tmp_path / "c.toml").write_text('[database]\nurl = "sqlite:///file.db"\necho = true\n')
    environ({"DISCLOSURE_DATABASE__URL": "sqlite:///env.db"})
    s = load_settings(tmp_path / "c.toml")
    assert (s.database.url, s.database.echo) == ("sqlite:///env.db", True)


def test_quick_path_does_not_import_pydantic_settings(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DISCLOSURE_")}
    env["DISCLOSURE_DATABASE__URL"] = "sqlite:////tmp/x.db"
    code = (
        "import sys; from disclosure.settings import load_settings; s = load_settings(); "
        "assert s.database.url == 'sqlite:////tmp/x.db'; "
        "print('pydantic_settings' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.stdout.strip() == "False", out.stderr
