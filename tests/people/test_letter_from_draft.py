"""The reply letter says what was signed off: with no outcome or reasons given, those of the
approved draft (拟办意见) — never an unapproved one's, nor over a reply recorded otherwise."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tests.people.conftest import People

REASONS = "该批复经定密程序\n确定为秘密级国家秘密，"  # two lines in the draft box


def _text(path: str) -> str:
    return "\n".join(p.text for p in Document(str(Path(path))).paragraphs)


def _approve_all(people: People, n: str) -> None:
    for who in ("dhead", "ohead", "boss"):
        people.ok("approve", n, "--as", who)


def test_the_letter_takes_the_outcome_and_reasons_of_the_approved_draft(  # type: ignore[no-untyped-def]
    people: People, required: None
):
    people.accounts()
    n = people.register()
    people.ok("draft", n, "--outcome", "3.1", "--reasons", REASONS, "--as", "handler")
    _approve_all(people, n)
    letter = people.ok("letter", n, "--kind", "reply")  # no --outcome, no --reasons
    body = _text(letter["docx"])
    assert "该批复经定密程序确定为秘密级国家秘密，" in body  # one paragraph, in the decision
    assert "第十四条" in body  # 3.1's own provision, so the recorded outcome is 3.1
    shown = people.ok("show", n)
    assert shown["outcome"] == "3.1" and shown["stage"] == "replied"


def test_an_unapproved_draft_fills_nothing(people: People) -> None:
    people.accounts()
    n = people.register()
    people.ok("draft", n, "--outcome", "3.1", "--reasons", REASONS, "--as", "handler")
    people.ok("approve", n, "--as", "dhead")  # two roles still to approve
    err = people.fails("letter", n, "--kind", "reply", code=2)
    assert "尚未记录答复结果" in err and "审批同意" in err
    assert people.ok("show", n)["outcome"] is None


def test_a_reply_recorded_otherwise_keeps_its_own_letter(people: People) -> None:
    people.accounts()
    n = people.register()
    people.ok("draft", n, "--outcome", "3.1", "--reasons", REASONS, "--as", "handler")
    _approve_all(people, n)
    people.ok("reply", n, "--outcome", "1", "--date", "2026-11-27")  # approval not required
    letter = people.ok("letter", n, "--kind", "reply", "--variant", "disclosed_now")
    assert "国家秘密" not in _text(letter["docx"])
