"""A setting, config file or database the product cannot use is said in one Chinese line with
what to check, and the command exits non-zero: never a traceback, never the driver's English."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from disclosure.db import unavailable
from disclosure.settings import SettingsError, load_settings

EXE = str(Path(sys.executable).with_name("disclosure"))


def _disclosure(tmp_path: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DISCLOSURE_")}
    env["DISCLOSURE_DATABASE__URL"] = url or f"sqlite:///{tmp_path}/register.db"
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )


@pytest.mark.parametrize(
    ("toml", "key", "said"),
    [
        ('[office]\ntimezone = "Mars/Olympus"\n', "office.timezone", "未知的时区 'Mars/Olympus'"),
        ('[database]\nurl = "mysql://x"\n', "database.url", "须为 SQLite 或 PostgreSQL 的地址"),
        ('[database]\nurl = "not a url"\n', "database.url", "须为 SQLite 或 PostgreSQL 的地址"),
        # A key in the wrong section (it once stood under [retention] in the shipped file) or
        # misspelt is an error in every section, not silently ignored.
        ("[retention]\nyears = 10\nhttps = true\n", "retention.https", "没有这个配置项"),
        (
            '[[departments]]\ncode = "a"\nname = "甲"\nemial = "x@y.cn"\n',
            "departments.0.emial",
            "没有这个配置项",
        ),
        (
            "[targets.case_types]\nnot_ours = { within_dayz = 3 }\n",
            "targets.case_types.not_ours.within_dayz",
            "没有这个配置项",
        ),
    ],
)
def test_a_bad_setting_names_its_key_and_the_reason(
    tmp_path: Path, toml: str, key: str, said: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    assert str(caught.value).startswith(f"配置项 {key} 无效：") and said in str(caught.value)


def test_the_shipped_config_sets_what_it_says(tmp_path: Path) -> None:
    """Every key of the shipped config.toml is one its section knows (sections forbid others),
    and the web's hardening keys reach `[web]`."""
    shipped = Path(__file__).parents[1] / "config.toml"
    text_ = shipped.read_text(encoding="utf-8").replace("https = false", "https = true")
    (tmp_path / "config.toml").write_text(text_, encoding="utf-8")
    assert load_settings(tmp_path / "config.toml").web.https is True


def test_a_config_file_in_another_encoding_is_refused_and_a_bom_is_read(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('[office]\nagency_name = "某市某局"\n'.encode("gbk"))
    with pytest.raises(SettingsError, match="配置文件须以 UTF-8 编码保存"):
        load_settings(gbk)
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + '[office]\nagency_name = "某市某局"\n'.encode())
    assert load_settings(bom).office.agency_name == "某市某局"


@pytest.mark.parametrize(
    ("toml", "where", "reason"),
    [
        ("[office]\nagency_name = 某局\n", "第 2 行第 15 列", "值无效（字符串要加引号"),
        ("[office\n", "第 1 行第 8 列", "表名缺少结尾的 ]"),
        ('[backup]\ndir = "C:\\data"\n', "第 2 行第 12 列", "反斜杠"),
        ("[office]\nagency_abbr = 1\nagency_abbr = 2\n", "第 3 行第 16 列", "同一个键写了两次"),
        ('[office]\nagency_name = "某局', "文件末尾", "字符串缺少结尾的引号"),
    ],
)
def test_a_toml_syntax_error_names_the_file_line_and_column_in_chinese(
    tmp_path: Path, toml: str, where: str, reason: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    said = str(caught.value)
    assert said.startswith(f"配置文件格式错误（{config}，{where}）：") and reason in said
    assert not re.search(r"[a-z]{3,}", said.replace(str(config), "")), said  # no English


def test_the_cli_says_a_toml_syntax_error_in_one_chinese_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[office]\nagency_name = 某局\n", encoding="utf-8")
    r = _disclosure(tmp_path, "list")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "错误：配置文件格式错误（config.toml，第 2 行第 15 列）："
        "值无效（字符串要加引号，日期写作 YYYY-MM-DD）"
    )


def test_a_database_that_cannot_be_opened_is_one_chinese_line(tmp_path: Path) -> None:
    (tmp_path / "folder.db").mkdir()  # the path is a folder
    for args in (["list"], ["init"], ["show", "2026-00001"]):
        r = _disclosure(tmp_path, *args, url=f"sqlite:///{tmp_path}/folder.db")
        assert r.returncode == 3, (args, r.stderr)
        assert r.stderr.strip().endswith(
            "无法打开数据库文件：请检查配置项 database.url 的路径存在，且有读写权限"
        )
        assert "Traceback" not in r.stderr and "sqlite3" not in r.stderr


def test_a_database_server_that_does_not_answer_is_one_chinese_line(tmp_path: Path) -> None:
    r = _disclosure(tmp_path, "list", url="postgresql+psycopg://postgres@127.0.0.1:9/none")
    assert r.returncode == 3, r.stderr
    assert "无法连接数据库服务器" in r.stderr and "Traceback" not in r.stderr


def test_the_drivers_own_errors_are_told_apart(tmp_path: Path) -> None:
    """`unavailable` on the real errors of SQLite: a read-only database, a missing folder;
    any other error is not its business."""
    path = tmp_path / "ro.db"
    with create_engine(f"sqlite:///{path}").begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    readonly = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(OperationalError) as caught, readonly.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert (unavailable(caught.value) or "").startswith("数据库文件只读，无法写入")
    missing = create_engine(f"sqlite:///{tmp_path}/no/such/folder/x.db")
    with pytest.raises(OperationalError) as caught:
        missing.connect()
    assert (unavailable(caught.value) or "").startswith("无法打开数据库文件")
    with pytest.raises(OperationalError) as caught, readonly.begin() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert unavailable(caught.value) is None
