"""Provisional and projected dates in letters are marked as `show` marks them (rulebook
§1.4: a date reaching into a year without a State Council notice is 临时; §11.7: a reply date
computed while a pause is open is 推算), and the letter's note says what the marks mean."""

from __future__ import annotations

from datetime import date

from disclosure.letters import build_templates
from disclosure.letters.kinds import LetterKind
from disclosure.services import steps
from tests.letters.conftest import Desk

RECEIVED, SENT = date(2026, 12, 1), date(2026, 12, 3)  # 2027 has no notice: provisional
PROJECTED = "（推算、临时）"
NOTE_PROJECTION = "注：标注“推算”的日期，是在征求意见尚未结束时推算的，征求意见结束后将据实重新计算"
NOTE_PROVISIONAL = "标注“临时”的日期，因国务院2027年节假日安排尚未公布，按法定节假日暂估"


def _consulting(desk: Desk) -> str:
    number = desk.register(received=RECEIVED)
    desk.record(number, steps.ConsultationSent(on=SENT, party="某公司", served=SENT), SENT)
    return number


def test_the_consultation_notice_marks_the_projected_provisional_reply_date(desk: Desk) -> None:
    number = _consulting(desk)
    _, text = desk.issue(number, "consultation_notice", today=SENT)
    # Received Tue 12/1; paused 12/3–12/24 (served 12/3, 15 working days): day 20 is
    # Thu 2027-01-21 (元旦 1/1 off, provisionally), as `show` prints it with （临时）（推算）.
    assert f"本机关将于2027年1月21日{PROJECTED}前作出答复" in text
    assert "2027年1月21日前" not in text  # never as a firm date
    assert NOTE_PROJECTION in text and NOTE_PROVISIONAL in text
    # the consultation's own period ends in 2026, counted on the official calendar: unmarked
    assert "征求意见期限至2026年12月24日。" in text


def test_the_extension_letter_marks_both_reply_dates(desk: Desk) -> None:
    number = _consulting(desk)
    _, text = desk.issue(number, "extension", days=10, approver="李主任", on=SENT, today=SENT)
    assert f"不能在2027年1月21日{PROJECTED}前作出答复" in text
    assert f"本机关将于2027年2月4日{PROJECTED}前作出答复" in text
    assert NOTE_PROJECTION in text and NOTE_PROVISIONAL in text


def test_a_provisional_date_alone_is_marked_临时(desk: Desk) -> None:
    number = desk.register(received=RECEIVED)
    _, text = desk.issue(number, "receipt", today=RECEIVED)
    # Tue 12/1: working days 12/2…12/29 are the 20, all in 2026 (official): unmarked.
    assert "即2026年12月29日前作出答复" in text and "注：" not in text
    later = desk.register(received=date(2026, 12, 10))
    _, text = desk.issue(later, "receipt", today=date(2026, 12, 10))
    # Thu 12/10: 12/11…12/31 are 15 working days, 元旦 off (provisionally), 1/4…1/8 the rest.
    assert "即2027年1月8日（临时）前作出答复" in text
    assert NOTE_PROVISIONAL in text and "推算" not in text


def test_the_cooperation_letter_marks_its_internal_date(desk: Desk) -> None:
    number = _consulting(desk)
    assign = steps.Assignment(on=SENT, department="zcfg", cooperating=("hbc",))
    desk.record(number, assign, SENT)
    _, text = desk.issue(number, "cooperation", party="hbc", today=SENT)
    # reply due 2027-01-21 (projected, provisional); the internal target 5 working days before
    assert f"请于2027年1月14日{PROJECTED}前" in text
    assert f"答复期限为2027年1月21日{PROJECTED}" in text
    assert NOTE_PROJECTION in text and NOTE_PROVISIONAL in text


def test_the_note_explains_only_what_the_letter_prints(desk: Desk) -> None:
    """A fee notice while the consultation runs does not print the reply date: no mark."""
    number = _consulting(desk)
    _, text = desk.issue(number, "fee", pages=250, served=SENT, on=SENT, today=SENT)
    assert "推算" not in text and "临时" not in text and "注：" not in text
    assert "即2026年12月31日前缴纳" in text  # the payment period ends in 2026: firm


def test_an_art35_deadline_is_a_date_not_a_computation(desk: Desk) -> None:
    """The Art. 35 deadline replaces the computed date (rulebook §4.5): printed unmarked."""
    number = _consulting(desk)
    desk.record(number, steps.Deferral(on=SENT, due=date(2027, 3, 1)), SENT)
    _, text = desk.issue(number, "consultation_notice", today=SENT)
    assert "本机关将于2027年3月1日前作出答复。" in text and "注：" not in text


def test_the_kinds_that_print_the_dates_match_the_templates() -> None:
    from disclosure.letters.dates import PRINTS_REPLY_DUE, RECITES_HISTORY

    for kind in LetterKind:
        body = "".join(build_templates.BODIES[kind])
        assert ("{{ history }}" in body) == (kind in RECITES_HISTORY), kind
        assert ("{{ reply_due_cn }}" in body) == (kind in PRINTS_REPLY_DUE), kind


def test_while_a_correction_is_awaited_the_letters_say_from_when_the_20_days_run(
    desk: Desk,
) -> None:
    """No reply date is known until the corrected application arrives (Reg. Art. 30): the
    receipt and the 协办函 say from when the 20 working days run, never "即前"."""
    number = desk.register(received=date(2026, 3, 2))
    on = date(2026, 3, 3)
    desk.record(number, steps.CorrectionRequested(on=on, served=on), on)
    _, text = desk.issue(number, "receipt", today=on)
    assert "本机关将在收到补正后的申请之日起20个工作日内作出答复" in text
    assert "即前" not in text and "于前" not in text
    desk.record(number, steps.Assignment(on=on, department="zcfg", cooperating=("hbc",)), on)
    _, text = desk.issue(number, "cooperation", party="hbc", today=on)
    assert "答复期限自收到补正后的申请之日起计算" in text and "答复期限为。" not in text
