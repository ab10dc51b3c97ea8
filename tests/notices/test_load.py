"""`disclosure calendar load FILE [--dry-run]`: what the checks refuse, and that a refusal
or a preview writes nothing (both databases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.notices.data import FICTIONAL_2027, TITLE_2027, supplement
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "notice-2027.example.toml"
TODAY = "2026-12-15"


def _file(tmp_path: Path, content: str | bytes, name: str = "notice.toml") -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


REFUSED = [
    pytest.param(
        FICTIONAL_2027.split("days_off")[0] + "days_off = []\nworking_weekend_days = []\n",
        "2027 年的安排没有任何放假日期",
        id="no-days-off",
    ),
    pytest.param(
        FICTIONAL_2027.split("days_off")[0]
        + 'days_off = [{ name = "全年", start = 2027-01-01, end = 2027-12-31 }]\n',
        "2027 年放假 365 天，超过已发布的国务院通知中的最大值（33 天，2026 年）",
        id="whole-year-off",
    ),
    pytest.param(
        FICTIONAL_2027.replace("2027-02-20, name", "2027-02-17, name"),
        "第 18 行，第 1 个通知 working_weekend_days 第 2 项：2027-02-17 是星期三",
        id="makeup-on-wednesday",
    ),
    pytest.param(
        FICTIONAL_2027.replace('{ name = "端午节", start = 2027-06-09, end = 2027-06-09 },', ""),
        "未把以下法定节假日列为放假：2027-06-09 端午节",
        id="missing-dragon-boat",
    ),
    pytest.param(
        FICTIONAL_2027.replace("year = 2027", 'year = "2027"'), "year：缺少年份或不是整数",
        id="wrong-type",
    ),
    pytest.param(
        FICTIONAL_2027.replace("start = 2027-05-01", "start = 2026-05-01"),
        "2026-05-01 不在 2027 年内",
        id="date-of-another-year",
    ),
    pytest.param(
        FICTIONAL_2027.replace("number = ", 'title = "again"\nnumber = '),
        "第 5 行：同一个键写了两次",
        id="duplicate-key",
    ),
    pytest.param(FICTIONAL_2027 + "# " + "x" * 70_000, "文件过大（上限 64 KB）", id="huge-file"),
    pytest.param(
        FICTIONAL_2027 + FICTIONAL_2027.replace(TITLE_2027, "另一个（虚构）"),
        "2027 年已有主通知",
        id="two-main-notices",
    ),
    pytest.param(
        supplement("补充（虚构）", "working_weekend_days = [2027-01-09]"),
        "找不到所补充的通知",
        id="supplement-without-main",
    ),
    pytest.param(FICTIONAL_2027.encode("gbk"), "文件须为 UTF-8 编码", id="gbk"),
    pytest.param(b"\x00\x01binary", "不是文本文件", id="binary"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "message"), REFUSED)
def test_refused_files_write_nothing(
    c: Cli, unchanged, tmp_path: Path, content: str | bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = _file(tmp_path, content)
    for dry in ((), ("--dry-run",)):
        with unchanged():
            line = c.fails("calendar", "load", path, *dry, "--today", TODAY, code=2)
        assert line.startswith("错误：文件: ")
        assert message in line, line


def test_only_next_year_can_be_loaded(c: Cli, unchanged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """In mid-2025 the notice for 2027 cannot exist yet (it comes in November of 2026)."""
    with unchanged():
        line = c.fails("calendar", "load", _file(tmp_path, FICTIONAL_2027), "--today", "2025-06-01")
    assert "只能载入 2019 至 2026 年的安排" in line


def test_a_folder_or_a_missing_file(c: Cli, tmp_path: Path) -> None:
    assert "这是文件夹" in c.fails("calendar", "load", str(tmp_path))
    assert "找不到文件" in c.fails("calendar", "load", str(tmp_path / "none.toml"))


def test_the_preview_writes_nothing_and_matches_the_load(c: Cli, unchanged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c.register("2026-12-15", today=TODAY)
    path = _file(tmp_path, FICTIONAL_2027)
    with unchanged():
        preview = c.ok("calendar", "load", path, "--dry-run", "--today", TODAY)
    assert preview["dry_run"] is True and preview["moved"]
    assert json.loads(c.run("calendar", "history", "--json").stdout) == []
    loaded = c.ok("calendar", "load", path, "--today", TODAY)
    assert loaded["dry_run"] is False
    assert loaded["moved"] == preview["moved"]
    assert (
        loaded["versions"]
        == preview["versions"]
        == [{"year": 2027, "version": 1, "reverts_to": None}]
    )


def test_loading_the_same_file_again_is_refused(c: Cli, unchanged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _file(tmp_path, FICTIONAL_2027)
    c.ok("calendar", "load", path, "--today", TODAY)
    with unchanged():
        line = c.fails("calendar", "load", path, "--today", TODAY, code=5)
    assert "文件内容与现行安排相同" in line


def test_the_example_file_is_refused_unless_allowed(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    with unchanged():
        line = c.fails("calendar", "load", str(EXAMPLE), "--today", TODAY, code=2)
    assert "该文件标明为示例（example = true）" in line
    report = c.ok(
        "calendar", "load", str(EXAMPLE), "--allow-example", "--dry-run", "--today", TODAY
    )
    assert report["years"] == [2027]


def test_a_declared_supplement_is_loaded_on_its_main_notice(c: Cli, tmp_path: Path) -> None:
    c.ok("calendar", "load", _file(tmp_path, FICTIONAL_2027, "a.toml"), "--today", TODAY)
    extra = supplement("测试数据（虚构）补充", "working_weekend_days = [2027-01-09]")
    report = c.ok("calendar", "load", _file(tmp_path, extra, "b.toml"), "--today", TODAY)
    assert report["versions"] == [{"year": 2027, "version": 2, "reverts_to": None}]
    shown = c.ok("calendar", "show", "2027")
    assert "2027-01-09" in [d["date"] for d in shown["working_weekend_days"]]
    assert len(shown["sources"]) == 2


def test_terminal_escapes_in_the_file_name_are_not_kept(c: Cli, tmp_path: Path) -> None:
    path = _file(tmp_path, FICTIONAL_2027, "notice\x1b[31m.toml")
    c.ok("calendar", "load", path, "--today", TODAY)
    (row,) = json.loads(c.run("calendar", "history", "--json").stdout)
    assert row["source_name"] == "notice[31m.toml"
