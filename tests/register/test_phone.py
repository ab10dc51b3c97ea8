"""The applicant's telephone (disclosure/phone.py): what offices write is accepted, full-width
digits stored as ASCII; letters, too few or too many digits refused naming --phone, nothing
written; a number stored before the rule is still shown."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from disclosure.errors import InvalidInput
from disclosure.phone import check_phone
from tests.register.conftest import REGISTER, Cli

ACCEPTED = [
    "13800138000",
    "138-0013-8000",
    "+86 138 0013 8000",
    "+8613800138000",
    "8613800138000",
    "0086 13800138000",
    "010-12345678",
    "0571-8888888",
    "(0571)88888888",
    "（0571）88888888",
    "0571 88888888",
    "88888888",  # a local number without its area code
    "010-12345678转123",
    "010-12345678 分机 123",
    "010-12345678-123",
    "010-12345678 ext.123",
    "13800138000、010-12345678",
    "13800138000，13900139000",
    "13800138000; 13900139000",
    "13800138000/13900139000",
    "13800138000 13900139000",
    "138 0013 8000 139 0013 9000",
    "+852 2123 4567",
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_what_offices_write_is_accepted_as_typed(value: str) -> None:
    assert check_phone(value) == value


def test_full_width_digits_are_stored_as_ascii() -> None:
    assert check_phone("１３８００１３８０００") == "13800138000"
    assert check_phone(" ０５７１-８８８８８８８８转１２ ") == "0571-88888888转12"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("abc", "只能包含数字"),
        ("1380013800a", "只能包含数字"),
        ("1-800-FLOWERS", "只能包含数字"),  # letters are not dialled as digits
        ("电话13800138000", "只能包含数字"),
        ("139", "位数过少"),
        ("12345", "位数过少"),
        ("1380013800", "手机号码应为 11 位"),
        ("138001380001", "手机号码应为 11 位"),
        ("12345678901234567", "位数过多"),
        ("13800138000、", "多余的分隔符"),
        ("13800138000、、13900139000", "多余的分隔符"),
        ("13800138000 139", "不是有效的电话号码"),
    ],
)
def test_clearly_wrong_numbers_are_refused(value: str, words: str) -> None:
    with pytest.raises(InvalidInput) as e:
        check_phone(value)
    assert e.value.field == "phone" and words in e.value.message and "联系电话" in e.value.message


@pytest.mark.usefixtures("engine")
def test_register_stores_full_width_digits_as_ascii(c: Cli) -> None:
    n = c.register("2026-11-02", "--phone", "１３８-００１３-８０００")["number"]
    assert c.show(n)["phone"] == "138-0013-8000"


@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize("value", ["abc", "139", "138001380001234567"])
def test_register_refuses_a_wrong_phone_and_writes_nothing(c: Cli, unchanged, value: str) -> None:  # type: ignore[no-untyped-def]
    with unchanged():
        err = c.fails(*REGISTER, "--received", "2026-11-02", "--phone", value, code=2)
    assert "--phone" in err and "联系电话" in err


def test_a_phone_stored_before_the_rule_is_still_shown(c: Cli, engine: Engine) -> None:
    n = c.register("2026-11-02")["number"]
    with engine.begin() as conn:
        stmt = text("UPDATE application SET phone = '办公室座机' WHERE number = :n")
        conn.execute(stmt, {"n": n})
    assert c.show(n)["phone"] == "办公室座机"
    assert [a["number"] for a in c.list()] == [n]


def test_an_old_phone_does_not_block_amending_something_else(c: Cli, engine: Engine) -> None:
    """Only what an amendment changes is checked: a phone stored before the rule stays, the
    name is corrected; a new phone given in an amendment is checked and kept normalised."""
    n = c.register("2026-11-02")["number"]
    with engine.begin() as conn:
        stmt = text("UPDATE application SET phone = '办公室座机' WHERE number = :n")
        conn.execute(stmt, {"n": n})
    c.ok("amend", n, "--applicant", "张三丰", "--reason", "申请人来电更正")
    shown = c.show(n)
    assert (shown["applicant"], shown["phone"]) == ("张三丰", "办公室座机")
    assert "--phone" in c.fails("amend", n, "--phone", "139", "--reason", "x", code=2)
    c.ok("amend", n, "--phone", "１３９００１３９０００", "--reason", "补正号码")
    assert c.show(n)["phone"] == "13900139000"
