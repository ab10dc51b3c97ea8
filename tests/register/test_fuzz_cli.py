"""No input gives a traceback (issue 17): random text and dates through the commands a clerk
types most. Each either succeeds or exits non-zero with one Chinese line naming a field."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.register.conftest import TODAY

pytestmark = pytest.mark.usefixtures("engine")

# Any text, control characters and surrogate-free unicode included; dates in any shape.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
DATE = st.one_of(st.dates().map(str), st.text(alphabet="0123456789-W/年月日 ", max_size=12), TEXT)
RUNS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _clean_exit(r) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    if r.exit_code != 0:
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert lines and lines[0].startswith("错误"), r.stderr


@RUNS
@given(applicant=TEXT, content=TEXT, received=DATE, phone=TEXT)
def test_register_never_breaks(
    cli, applicant: str, content: str, received: str, phone: str
) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "register", "--channel", "in_person", "--applicant", applicant,
        "--applicant-type", "natural", "--content", content, "--received", received,
        "--phone", phone, "--today", TODAY,
    )  # fmt: skip
    _clean_exit(r)


@RUNS
@given(note=TEXT, on=DATE, days=st.integers(-5, 50))
def test_steps_never_break(cli, note: str, on: str, days: int) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "register", "--channel", "in_person", "--applicant", "张三", "--applicant-type",
        "natural", "--content", "某文件", "--received", "2026-11-02", "--today", TODAY, "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    number = r.stdout.split('"number": "')[1].split('"')[0]
    for args in (
        ("note", number, "--note", note),
        ("extend", number, "--days", str(days), "--approver", note, "--date", on),
        ("correction", "request", number, "--date", on, "--note", note),
        ("amend", number, "--phone", note, "--reason", note),
    ):
        _clean_exit(cli(*args, "--today", TODAY))


@RUNS
@given(received=DATE, extend=st.integers(-3, 40))
def test_the_calculator_never_breaks(cli, received: str, extend: int) -> None:  # type: ignore[no-untyped-def]
    _clean_exit(cli("deadline", "--received", received, "--extend", str(extend), "--json"))
