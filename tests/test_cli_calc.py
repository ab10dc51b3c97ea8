"""disclosure.cli.calc: the `deadline` and `fee` calculator commands, on built-in defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from disclosure.cli.main import app


@pytest.fixture
def calc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the CLI in an empty folder, so no config.toml is found: built-in settings only."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCLOSURE_CONFIG", raising=False)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args))

    return run


def _json(result: Result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_deadline_domain_example(calc) -> None:  # type: ignore[no-untyped-def]
    out = _json(calc("deadline", "--received", "2026-03-02", "--today", "2026-03-27", "--json"))
    assert out["reply_due"] == "2026-03-30"
    assert out["correction_notice_due"] == "2026-03-11"
    assert out["provisional"] is False
    assert out["working_days_left"] == 1
    assert out["state"] == "running"


@pytest.mark.parametrize(
    ("today", "left", "state"),
    [("2026-03-30", 0, "running"), ("2026-03-31", -1, "overdue")],
    ids=["due-day", "overdue"],
)
def test_deadline_days_left(calc, today: str, left: int, state: str) -> None:  # type: ignore[no-untyped-def]
    out = _json(calc("deadline", "--received", "2026-03-02", "--today", today, "--json"))
    assert (out["working_days_left"], out["state"]) == (left, state)


def test_deadline_across_spring_festival(calc) -> None:  # type: ignore[no-untyped-def]
    out = _json(calc("deadline", "--received", "2026-02-02", "--json"))
    assert out["reply_due"] == "2026-03-06"
    assert any("春节" in text for text in out["explanation"])


def test_deadline_into_2027_is_provisional(calc) -> None:  # type: ignore[no-untyped-def]
    out = _json(calc("deadline", "--received", "2026-12-14", "--json"))
    assert out["reply_due"] == "2027-01-12"
    assert out["provisional"] is True
    text = calc("deadline", "--received", "2026-12-14").stdout
    assert "临时" in text


def test_deadline_with_correction_extension_and_pause(calc) -> None:  # type: ignore[no-untyped-def]
    out = _json(
        calc(
            "deadline",
            "--received", "2026-03-02",
            "--correction-requested", "2026-03-04",
            "--correction-received", "2026-03-16",
            "--json",
        )
    )  # fmt: skip
    assert (out["period_start"], out["reply_due"]) == ("2026-03-16", "2026-04-14")
    out = _json(calc("deadline", "--received", "2026-03-02", "--extend", "20", "--json"))
    assert (out["extension_days"], out["reply_due"]) == (20, "2026-04-28")
    out = _json(
        calc("deadline", "--received", "2026-03-02", "--pause", "2026-03-09:2026-03-13", "--json")
    )
    assert out["pauses"] == [["2026-03-09", "2026-03-13"]]
    assert out["reply_due"] == "2026-04-07"


def test_the_calculators_assumptions_are_said(calc) -> None:  # type: ignore[no-untyped-def]
    """A pause given by hand is called that (not 暂停（暂停）), and an extension without its
    decision day says which day the explanation assumed."""
    text = calc("deadline", "--received", "2026-09-18", "--extend", "10", "--pause",
                "2026-09-22:2026-09-24").stdout  # fmt: skip
    assert "2026年9月22日至9月24日暂停计算（指定的暂停期间）" in text
    assert "本机关于2026年10月27日决定延长答复期限10个工作日" in text
    assert "（未给出 --extended-on：按于原答复期限当日决定延期计算。）" in text
    given = calc("deadline", "--received", "2026-09-18", "--extend", "10", "--extended-on",
                 "2026-10-20").stdout  # fmt: skip
    assert "本机关于2026年10月20日决定延长" in given and "未给出" not in given


def test_deadline_text_output(calc) -> None:  # type: ignore[no-untyped-def]
    result = calc("deadline", "--received", "2026-03-02", "--today", "2026-03-31")
    assert result.exit_code == 0
    assert "答复期限：2026年3月30日" in result.stdout
    assert "已超期 1 个工作日" in result.stdout


@pytest.mark.parametrize(
    ("args", "amount"),
    [
        (["--pages", "250"], 4700),
        (["--pages", "30"], 0),
        (["--pages", "31"], 10),
        (["--pages", "101"], 720),
        (["--nth-in-month", "11"], 100),
        (["--nth-in-month", "41"], 300),
    ],
    ids=["250-pages", "30-pages", "31-pages", "101-pages", "11th-item", "41st-item"],
)
def test_fee_json(calc, args: list[str], amount: int) -> None:  # type: ignore[no-untyped-def]
    out = _json(calc("fee", *args, "--json"))
    assert out["amount_yuan"] == amount
    assert isinstance(out["amount_yuan"], int)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["deadline", "--received", "2026-3-x"], "--received"),
        (["deadline", "--received", "2026-03-02", "--today", "tomorrow"], "--today"),
        (["deadline", "--received", "2026-03-02", "--pause", "2026-03-10"], "--pause"),
        (["deadline", "--received", "2026-03-02", "--pause", "2026-03-10:2026-03-09"], "--pause"),
        (["deadline", "--received", "2026-03-02", "--extend", "21"], "extend"),
        (["deadline", "--received", "2018-06-01"], "--received"),
        (["fee", "--pages", "0"], "pages"),
        (["fee", "--pages", "3", "--nth-in-month", "2"], "--pages"),
        (["fee"], "--nth-in-month"),
    ],
    ids=[
        "bad-date",
        "bad-today",
        "pause-without-end",
        "pause-backwards",
        "extension-over-20",
        "before-calendar",
        "zero-pages",
        "both-scales",
        "no-scale",
    ],
)
def test_bad_input_is_one_line_naming_the_option(calc, args: list[str], option: str) -> None:  # type: ignore[no-untyped-def]
    result = calc(*args)
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert option in lines[0]
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
