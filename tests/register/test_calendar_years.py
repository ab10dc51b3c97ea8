"""`disclosure calendar load FILE` / `calendar show YEAR` (`services.calendar_years`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from disclosure.calendar_source import builtin_notices
from disclosure.notices.versions import entries_toml, stored_entries
from rules.notice_file import NoticeEntry
from tests.notices.data import FICTIONAL_2027, NOTICE_2027, TITLE_2027, supplement
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture
def notice_file(tmp_path: Path) -> Path:
    path = tmp_path / "notice-2027-TEST-DATA.toml"
    path.write_text(FICTIONAL_2027, encoding="utf-8")
    return path


@pytest.fixture
def apps(c: Cli) -> dict[str, str]:
    """One open application reaching into 2027, one that does not, one closed."""
    into = c.register("2026-12-15", today="2026-12-15")
    inside = c.register("2026-11-02", today="2026-12-15")
    closed = c.register("2026-12-14", today="2026-12-15")
    c.ok(
        "reply", closed["number"], "--outcome", "1", "--date", "2026-12-15", "--today", "2026-12-15"
    )
    # Provisional 2027: only 1/1 is off. 12-16…18, 21…25, 28…31 (12 days), 1-04…08 (17),
    # 1-11…13 (20).
    assert (into["reply_due"], into["provisional"]) == ("2027-01-13", True)
    assert inside["provisional"] is False
    return {"into": into["number"], "inside": inside["number"], "closed": closed["number"]}


def test_load_recomputes_open_applications(c: Cli, apps: dict[str, str], notice_file: Path) -> None:
    result = c.ok("calendar", "load", str(notice_file), "--today", "2026-12-15")
    assert result["years"] == [2027]
    assert result["recomputed"] == 2  # the two open ones; the replied one is left alone
    # With 1-04 off too, day 20 moves from Wed 1-13 to Thu 1-14; the internal target (5
    # working days before it) from Wed 1-06 to Thu 1-07.
    assert result["moved"] == [
        {
            "number": apps["into"],
            "clock": "reply_due",
            "clock_label": "答复期限",
            "old": "2027-01-13",
            "new": "2027-01-14",
            "was_provisional": True,
        },
        {
            "number": apps["into"],
            "clock": "internal_target",
            "clock_label": "内部办理时限",
            "old": "2027-01-06",
            "new": "2027-01-07",
            "was_provisional": True,
        },
    ]
    listed = {i["number"]: i for i in c.list(today="2026-12-15")}
    assert listed[apps["into"]]["reply_due"] == "2027-01-14"
    assert listed[apps["into"]]["provisional"] is False
    assert listed[apps["closed"]]["reply_due"] == "2027-01-12"  # not recomputed when closed
    # A new registration uses the loaded year at once.
    again = c.register("2026-12-15", today="2026-12-15")
    assert (again["reply_due"], again["provisional"]) == ("2027-01-14", False)


def test_load_prints_the_moved_deadlines(cli, apps: dict[str, str], notice_file: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("calendar", "load", str(notice_file), "--today", "2026-12-15")
    assert r.exit_code == 0, r.stderr
    assert "2027" in r.stdout and "期限变动" in r.stdout
    assert apps["into"] in r.stdout and "2027-01-14" in r.stdout
    assert apps["inside"] not in r.stdout


def test_show_year_before_and_after_loading(c: Cli, notice_file: Path) -> None:
    before = c.ok("calendar", "show", "2027")
    assert before["provisional"] is True and before["sources"] == []
    assert [d["date"] for d in before["days_off"]][:1] == ["2027-01-01"]
    c.ok("calendar", "load", str(notice_file))
    after = c.ok("calendar", "show", "2027")
    assert after["provisional"] is False
    assert after["sources"] == [f"{TITLE_2027}（测试〔2026〕1号）"]
    assert {"date": "2027-01-04", "name": "元旦"} in after["days_off"]
    assert [d["date"] for d in after["working_weekend_days"]] == [
        "2027-01-16", "2027-02-20", "2027-02-21", "2027-05-08", "2027-09-26", "2027-10-09",
    ]  # fmt: skip
    assert after["working_days"] < before["working_days"]


def test_a_load_is_one_new_version_of_its_year(c: Cli, engine: Engine, tmp_path: Path) -> None:
    """A main notice and its supplement in one file: one version of 2027 holding both."""
    two = tmp_path / "two.toml"
    two.write_text(
        FICTIONAL_2027 + supplement("测试数据（虚构）补充", "working_weekend_days = [2027-01-09]"),
        encoding="utf-8",
    )
    assert c.ok("calendar", "load", str(two))["versions"] == [
        {"year": 2027, "version": 1, "reverts_to": None}
    ]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT year, version, notices_text FROM calendar_version"))
        stored = [(y, v, [e.notice.title for e in stored_entries(t)]) for y, v, t in rows]
    assert stored == [(2027, 1, [TITLE_2027, "测试数据（虚构）补充"])]


def test_stored_text_round_trips_the_builtin_data() -> None:
    entries = [NoticeEntry(n) for n in builtin_notices()]
    assert stored_entries(entries_toml(entries)) == entries


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("not toml [[[", "第 1 行"),
        ("[[notice]]\ntitle = 'x'\n", "year"),
        (
            "[[notice]]\nyear = 2027\ntitle = 'x'\nworking_weekend_days = [2027-01-06]\n",
            "working_weekend_days 第 1 项：2027-01-06 是星期三",
        ),
        (
            "[[notice]]\nyear = 2027\ntitle = 'x'\n"
            + "days_off = [{ start = 2027-01-05, end = 2027-01-04 }]\n",
            "days_off",
        ),
    ],
    ids=["invalid-toml", "no-year", "weekday-makeup", "end-before-start"],
)
def test_bad_notice_file_writes_nothing(
    c: Cli, unchanged, tmp_path: Path, content: str, field: str
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "notice-bad.toml"
    bad.write_text(content, encoding="utf-8")
    with unchanged():
        line = c.fails("calendar", "load", str(bad), code=2)
    assert field in line


def test_missing_file(c: Cli, tmp_path: Path) -> None:
    assert "文件: 找不到文件" in c.fails("calendar", "load", str(tmp_path / "none.toml"))


def test_history_stays_valid_when_a_new_calendar_moves_a_due_date_earlier(
    c: Cli, tmp_path: Path
) -> None:
    """An extension granted on the provisional due date stays valid after a notice that makes
    the official due date earlier: history checked when it was recorded is not re-judged."""
    path = tmp_path / "notice-2027-TEST-DATA.toml"
    path.write_text(FICTIONAL_2027, encoding="utf-8")
    assert c.ok("calendar", "load", str(path), "--today", "2026-12-15")["years"] == [2027]
    m = c.register("2026-12-15", today="2026-12-15")["number"]
    c.ok(
        "extend", m, "--days", "5", "--approver", "陈主任", "--date", "2027-01-14",
        "--today", "2027-01-14",
    )  # fmt: skip
    before = c.ok("show", m, "--today", "2027-01-14")["reply_due"]
    # A (fictional) later notice making Sat 1-09 a working day puts the unextended due date
    # on 1-13, before the extension of 1-14: the load still succeeds and the date moves.
    fix = tmp_path / "correction-TEST-DATA.toml"
    fix.write_text(
        supplement("测试数据（虚构）补充", "working_weekend_days = [2027-01-09]"), encoding="utf-8"
    )
    result = c.ok("calendar", "load", str(fix), "--today", "2027-01-14")
    moved = {x["number"]: x for x in result["moved"] if x["clock"] == "reply_due"}
    assert moved[m]["old"] == before
    assert moved[m]["new"] < before
    # A new extension dated after the (new) due date is still refused.
    n = c.register("2026-12-15", today="2026-12-15")["number"]
    due = c.ok("show", n, "--today", "2027-01-20")["reply_due"]
    assert due < "2027-01-20"
    line = c.fails(
        "extend", n, "--days", "5", "--approver", "陈主任", "--date", "2027-01-20",
        "--today", "2027-01-20",
    )  # fmt: skip
    assert "--date" in line


def test_reissued_notice_replaces_the_earlier_copy(c: Cli, tmp_path: Path) -> None:
    """A corrected notice with the same title drops a day off that the first copy had."""
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    mid_autumn = '{ name = "中秋节", start = 2027-09-15, end = 2027-09-15 }'
    dragon_boat = '{ name = "端午节", start = 2027-06-09, end = 2027-06-09 }'
    first.write_text(
        NOTICE_2027.replace(mid_autumn, mid_autumn.replace("end = 2027-09-15", "end = 2027-09-16")),
        encoding="utf-8",
    )
    second.write_text(
        NOTICE_2027.replace(
            dragon_boat, dragon_boat.replace("end = 2027-06-09", "end = 2027-06-10")
        ),
        encoding="utf-8",
    )
    c.ok("calendar", "load", str(first), "--today", "2026-11-27")
    off = {d["date"] for d in c.ok("calendar", "show", "2027")["days_off"]}
    assert {"2027-09-16"} <= off and "2027-06-10" not in off
    c.ok("calendar", "load", str(second), "--today", "2026-11-27")
    off = {d["date"] for d in c.ok("calendar", "show", "2027")["days_off"]}
    assert "2027-09-16" not in off
    assert "2027-06-10" in off


@pytest.mark.parametrize("year", ["1900", "99999"])
def test_show_of_a_year_outside_the_calendar_says_which_years_it_has(c: Cli, year: str) -> None:
    line = c.fails("calendar", "show", year, code=2)
    assert line.startswith("错误：年份: 日历只有 2019 至 ") and line.endswith(" 年的安排"), line
