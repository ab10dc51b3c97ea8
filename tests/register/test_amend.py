"""`disclosure amend`: an audited correction of registration data (issue 17)."""

from __future__ import annotations

import pytest

from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")


def test_an_amendment_keeps_old_and_new_values_and_who(c: Cli) -> None:
    n = c.register("2026-11-02", "--phone", "13800000000")["number"]
    before = c.show(n)
    out = c.ok("amend", n, "--phone", "13900000000", "--applicant", "张三丰",
               "--reason", "申请人来电更正")  # fmt: skip
    assert out["applicant"] == "张三丰"
    shown = c.show(n)
    assert shown["phone"] == "13900000000"
    [ev] = [e for e in shown["timeline"] if e["kind"] == "amended"]
    assert ev["changes"] == {
        "phone": {"old": "13800000000", "new": "13900000000"},
        "applicant": {"old": "张三", "new": "张三丰"},
    }
    assert ev["note"] == "申请人来电更正" and ev["actor"] == "tester"
    assert shown["reply_due"] == before["reply_due"]  # no deadline depends on these fields


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--phone", "13800000000", "--reason", "x"), "--phone"),  # nothing changes
        (("--applicant", "", "--reason", "x"), "--applicant"),  # empty name
        (("--email", "not-an-address", "--reason", "x"), "--email"),
        (("--phone", "139", "--reason", " "), "--reason"),  # a reason is required
        (("--reason", "x"), "--applicant"),  # no field given
        (("--content", "新\x1b内容", "--reason", "x"), "--content"),  # the input rule
    ],
    ids=["unchanged", "empty-name", "bad-email", "no-reason", "no-field", "control-char"],
)
def test_bad_amendments_write_nothing(
    c: Cli, unchanged, args: tuple[str, ...], option: str
) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02", "--phone", "13800000000")["number"]
    with unchanged():
        err = c.fails("amend", n, *args)
    assert option in err
