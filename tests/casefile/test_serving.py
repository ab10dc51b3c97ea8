"""Service records: the rules for when a letter counts as given or received, recording,
signing recorded later, corrections, refusals, and the unserved-letters query."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from disclosure.casefile.service_records import unserved_letters
from disclosure.cli.fields import cli_name
from disclosure.db import transaction
from disclosure.letters.models import Letter
from disclosure.models import EventRecord
from disclosure.services.office import load_office
from disclosure.services.serving import served_dates, service_states
from tests.casefile.conftest import counts, image_bytes, register


def _letters(desk, number: str) -> dict[str, Letter]:  # type: ignore[no-untyped-def]
    """A correction notice dated 03-04 (announcing the correction step) and a receipt."""
    desk.ok("letter", number, "--kind", "receipt", "--out", "r.docx", "--today", "2026-03-02")
    desk.ok("correction", "request", number, "--date", "2026-03-04", "--today", "2026-03-04")
    desk.ok(
        "letter",
        number,
        "--kind",
        "correction",
        "--item",
        "请写明河道名称",
        "--out",
        "c.docx",
        "--today",
        "2026-03-04",
    )
    return {}


def _records(engine, number: str) -> list[EventRecord]:  # type: ignore[no-untyped-def]
    from disclosure.services.deadlines import events_of
    from disclosure.services.lookup import get_application

    with transaction(engine, write=False) as s:
        return events_of(s, get_application(s, number))


def _serve(desk, number: str, *args: str):  # type: ignore[no-untyped-def]
    return desk("serve-letter", number, *args, "--today", "2026-03-20", "--json")


def _correction_event(engine, number: str) -> EventRecord:  # type: ignore[no-untyped-def]
    return next(r for r in _records(engine, number) if r.kind == "correction_requested")


def test_posted_letter_counts_as_given_when_posted_and_received_when_signed(desk, engine) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    _letters(desk, number)
    ref = "某环依申告〔2026〕2号"
    out = json.loads(
        _serve(
            desk,
            number,
            "--letter",
            ref,
            "--method",
            "post_ems",
            "--date",
            "2026-03-05",
            "--tracking",
            "EA001CN",
        ).stdout
    )
    assert out["given"] == "2026-03-05" and out["received"] is None
    step = _correction_event(engine, number)
    assert step.id not in served_dates(_records(engine, number))  # not started until signed
    # the EMS receipt comes back: signing recorded later, as its own record
    later = json.loads(_serve(desk, number, "--letter", ref, "--signed", "2026-03-09").stdout)
    assert later["event_id"] != out["event_id"] and later["tracking"] == "EA001CN"
    assert served_dates(_records(engine, number)) == {step.id: date(2026, 3, 9)}
    served = [r for r in _records(engine, number) if r.kind == "letter_served"]
    assert [r.data["supersedes"] for r in served] == [None, out["event_id"]]
    assert served[1].data["reason"] == "signed" and served[1].on == date(2026, 3, 9)


def test_signing_recorded_later_starts_the_stored_correction_period(desk, engine) -> None:  # type: ignore[no-untyped-def]
    """Rulebook §5.2, §11.1: the applicant's 15 working days run from the day signed for."""
    from disclosure.services.lookup import get_application

    number = register(desk)
    _letters(desk, number)
    ref = "某环依申告〔2026〕2号"
    _serve(desk, number, "--letter", ref, "--method", "post_ems", "--date", "2026-03-05")

    def stored_due() -> date | None:
        with transaction(engine, write=False) as s:
            return get_application(s, number).next_action_due

    posted = stored_due()
    _serve(desk, number, "--letter", ref, "--signed", "2026-03-09")
    # Signed Mon 3/9: day 1 is Tue 3/10, day 15 is Mon 3/30 (no holiday in between).
    assert stored_due() == date(2026, 3, 30) and posted != date(2026, 3, 30)
    listed = json.loads(desk("list", "--today", "2026-03-20", "--json").stdout)
    assert [x["next_action_due"] for x in listed if x["number"] == number] == ["2026-03-30"]


@pytest.mark.parametrize(
    ("method", "signed", "received"),
    [
        ("direct", None, "2026-03-05"),  # signed for on handing over
        ("email", None, "2026-03-05"),  # reached the addressee's system when sent
        ("platform", "2026-03-06", "2026-03-06"),  # a later arrival recorded
        ("post_registered", "2026-03-10", "2026-03-10"),  # per the postal record
    ],
    ids=["direct", "email", "platform-later", "registered-post"],
)
def test_received_dates_by_method(desk, engine, method, signed, received) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    _letters(desk, number)
    args = ["--letter", "某环依申告〔2026〕2号", "--method", method, "--date", "2026-03-05"]
    if signed:
        args += ["--signed", signed]
    assert _serve(desk, number, *args).exit_code == 0
    step = _correction_event(engine, number)
    assert served_dates(_records(engine, number)) == {step.id: date.fromisoformat(received)}


def test_letters_without_a_step_are_served_but_map_no_step(desk, engine) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    _letters(desk, number)
    assert (
        _serve(
            desk,
            number,
            "--letter",
            "某环依申告〔2026〕1号",
            "--method",
            "direct",
            "--date",
            "2026-03-02",
        ).exit_code
        == 0
    )
    assert served_dates(_records(engine, number)) == {}
    assert len(service_states(_records(engine, number))) == 1


def test_a_correction_names_the_record_it_corrects(desk, engine) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    _letters(desk, number)
    ref = "某环依申告〔2026〕2号"
    first = json.loads(
        _serve(desk, number, "--letter", ref, "--method", "post_ems", "--date", "2026-03-05").stdout
    )
    again = _serve(desk, number, "--letter", ref, "--method", "direct", "--date", "2026-03-06")
    assert again.exit_code == 5 and "corrects" in again.stderr
    fixed = json.loads(
        _serve(
            desk,
            number,
            "--letter",
            ref,
            "--method",
            "direct",
            "--date",
            "2026-03-06",
            "--corrects",
            str(first["event_id"]),
        ).stdout
    )
    assert fixed["method"] == "direct" and fixed["received"] == "2026-03-06"
    rows = [r for r in _records(engine, number) if r.kind == "letter_served"]
    assert rows[0].data["method"] == "post_ems"  # the first record is never rewritten
    assert (
        rows[1].data["supersedes"] == first["event_id"] and rows[1].data["reason"] == "correction"
    )


BAD = [
    (
        "before the letter's date",
        ["--method", "post_ems", "--date", "2026-03-03"],
        "on",
        "早于文书",
    ),
    (
        "signed before posted",
        ["--method", "post_ems", "--date", "2026-03-06", "--signed", "2026-03-05"],
        "signed",
        "早于交邮日期",
    ),
    ("in the future", ["--method", "direct", "--date", "2026-03-21"], "on", "晚于今天"),
    ("unknown method", ["--method", "pigeon", "--date", "2026-03-05"], "method", "未知的送达方式"),
    ("no method", ["--date", "2026-03-05"], "method", "送达方式"),
    ("no date", ["--method", "direct"], "on", "日期"),
    (
        "tracking with spaces",
        ["--method", "post_ems", "--date", "2026-03-05", "--tracking", "EA 123 456 789 CN"],
        "tracking",
        "只能包含字母、数字和连字符",
    ),
    (
        "tracking in Chinese",
        ["--method", "post_ems", "--date", "2026-03-05", "--tracking", "挂号信EA123"],
        "tracking",
        "邮件单号",
    ),
    (
        "tracking too long",
        ["--method", "post_ems", "--date", "2026-03-05", "--tracking", "EA" + "1" * 40],
        "tracking",
        "至 40 个字符",
    ),
    (
        "tracking too short",
        ["--method", "post_ems", "--date", "2026-03-05", "--tracking", "E1"],
        "tracking",
        "至 40 个字符",
    ),
    (
        "nothing to correct",
        ["--method", "direct", "--date", "2026-03-05", "--corrects", "1"],
        "corrects",
        "无可更正",
    ),
]


@pytest.mark.parametrize(("why", "args", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_service_input_is_refused_and_nothing_written(
    desk,
    engine,
    store,
    tmp_path,
    why,  # type: ignore[no-untyped-def]
    args,
    field,
    words,
) -> None:
    number = register(desk)
    _letters(desk, number)
    (tmp_path / "receipt.png").write_bytes(image_bytes("PNG", (400, 300)))
    before = counts(engine, store)
    r = _serve(desk, number, "--letter", "某环依申告〔2026〕2号", *args, "--proof", "receipt.png")
    shown = cli_name(field)
    assert r.exit_code != 0 and f"{shown}:" in r.stderr and words in r.stderr, r.stderr
    assert counts(engine, store) == before  # not even the proof's file


def test_a_tracking_number_typed_in_full_width_is_stored_in_ascii_and_checked_when_signed(  # type: ignore[no-untyped-def]
    desk, engine, store
) -> None:
    number = register(desk)
    _letters(desk, number)
    ref = "某环依申告〔2026〕2号"
    args = ("--letter", ref, "--method", "post_ems", "--date", "2026-03-05")
    out = _serve(desk, number, *args, "--tracking", "ＥＡ１２３４５６７８９ＣＮ")
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["tracking"] == "EA123456789CN"
    before = counts(engine, store)
    r = _serve(desk, number, "--letter", ref, "--signed", "2026-03-09", "--tracking", "单号")
    assert r.exit_code == 2 and "--tracking:" in r.stderr and "邮件单号" in r.stderr
    assert counts(engine, store) == before


def test_unknown_letter(desk) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    r = _serve(
        desk,
        number,
        "--letter",
        "某环依申复〔2026〕9号",
        "--method",
        "direct",
        "--date",
        "2026-03-05",
    )
    assert r.exit_code == 4 and "letter:" in r.stderr


def test_proof_is_attached_to_the_service_record(desk, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    _letters(desk, number)
    (tmp_path / "ems.jpg").write_bytes(image_bytes("JPEG", (600, 400)))
    out = json.loads(
        _serve(
            desk,
            number,
            "--letter",
            "2",
            "--method",
            "post_ems",
            "--date",
            "2026-03-05",
            "--proof",
            "ems.jpg",
        ).stdout
    )
    docs = json.loads(desk.ok("files", number, "--json").stdout)
    assert [(d["kind"], d["event_id"]) for d in docs] == [("service_proof", out["event_id"])]
    assert out["proof_document_id"] == docs[0]["id"]


def test_unserved_letters_after_the_configured_working_days(desk, engine, settings) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    _letters(desk, number)  # receipt 03-02 (Mon), correction notice 03-04 (Wed)
    with transaction(engine, write=False) as s:
        office = load_office(s, settings)
        # 03-09 (Mon): receipt 5 working days old (not more than 5), notice 3
        assert unserved_letters(s, office, date(2026, 3, 9)) == []
        late = unserved_letters(s, office, date(2026, 3, 10))  # receipt: 6 working days
        assert [(u.reference, u.working_days) for u in late] == [("某环依申告〔2026〕1号", 6)]
    assert (
        _serve(
            desk,
            number,
            "--letter",
            "某环依申告〔2026〕1号",
            "--method",
            "direct",
            "--date",
            "2026-03-02",
        ).exit_code
        == 0
    )
    with transaction(engine, write=False) as s:
        late = unserved_letters(s, office, date(2026, 3, 12))
        ids = {lt.id for lt in s.exec(select(Letter)).all()}
    assert [u.reference for u in late] == ["某环依申告〔2026〕2号"]  # 6 days, the receipt served
    assert {u.letter_id for u in late} <= ids


def test_a_posted_reply_is_given_the_day_it_is_posted(desk, engine) -> None:  # type: ignore[no-untyped-def]
    """235号 / rulebook §11.1: the reply letter of Fri 3/27, posted Tue 3/31, counts as given
    on 3/31 — after the due date Mon 3/30 (received Mon 3/2, 20 working days) — so the case
    closes late, in `show` as on the archive cover."""
    number = register(desk)
    desk.ok("letter", number, "--kind", "reply", "--outcome", "1", "--date", "2026-03-27",
            "--variant", "disclosed_now", "--today", "2026-03-27",
            "--out", "reply.docx")  # fmt: skip
    shown = json.loads(desk("show", number, "--today", "2026-03-27", "--json").stdout)
    assert shown["closed_on"] == "2026-03-27" and shown["state"] == "closed_on_time"
    ref = "某环依申复〔2026〕1号"
    out = desk("serve-letter", number, "--letter", ref, "--method", "post_ems",
               "--date", "2026-03-31", "--today", "2026-03-31", "--json")  # fmt: skip
    assert out.exit_code == 0, out.stderr
    shown = json.loads(desk("show", number, "--today", "2026-03-31", "--json").stdout)
    assert shown["reply_due"] == "2026-03-30"
    assert shown["closed_on"] == "2026-03-31" and shown["state"] == "closed_late"
    listed = json.loads(desk("list", "--today", "2026-03-31", "--json").stdout)
    assert [x["state"] for x in listed if x["number"] == number] == ["closed_late"]
