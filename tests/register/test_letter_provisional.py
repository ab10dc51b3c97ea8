"""A letter whose dates are provisional (the year's State Council notice is not loaded,
rulebook §1.4) says so to whoever issues it, not only in its own footnote."""

from __future__ import annotations

import json

import pytest

from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")


def test_a_letter_with_a_provisional_date_says_so_when_issued(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Received Thu 12/10: the 20 working days reach 2027, whose notice is not loaded; the
    receipt prints 2027年1月8日（临时）, and whoever issues it is told (rulebook §1.4)."""
    c = Cli(cli)
    early = c.register("2026-11-02")["number"]  # all within 2026: nothing to say
    late = c.register("2026-12-10", today="2026-12-10")["number"]
    for n, today, said in ((early, "2026-11-02", False), (late, "2026-12-10", True)):
        out = str(tmp_path / f"{n}.docx")
        r = cli("letter", n, "--kind", "receipt", "--out", out, "--today", today)
        assert r.exit_code == 0, r.stderr
        assert ("2027年节假日安排尚未公布" in r.stderr) is said, r.stderr
        shown = cli("letter", n, "--kind", "receipt", "--out", out, "--today", today, "--json")
        assert (json.loads(shown.stdout)["date_note"] is not None) is said
