"""The catalogue of letter kinds (rulebook §9): Chinese name, title, series, recorded event.

`name` is the letter's own name (what file names, `letter list` and the ledger show);
`label` is what a person choosing the kind reads, the name with a word that tells it apart.

`series` names a key of `settings.letters.series` (the word inside the 文号, e.g. 依申复);
`event` is the ledger event that issuing the letter records when it is not recorded yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rules.events import EventKind


class LetterKind(StrEnum):
    RECEIPT = "receipt"
    CORRECTION = "correction"
    EXTENSION = "extension"
    CONSULTATION = "consultation"  # to a third party (Reg. Art. 32)
    CONSULTATION_AGENCY = "consultation_agency"  # to a co-producing agency (Reg. Art. 34)
    CONSULTATION_NOTICE = "consultation_notice"  # to the applicant
    FEE = "fee"
    ART35 = "art35"  # asking for reasons (Reg. Art. 35)
    DEFERRED = "deferred"  # a reasonable later deadline (Reg. Art. 35)
    ABANDONED = "abandoned"  # deemed abandoned (Reg. Art. 30; Fees art. 7)
    REPLY = "reply"  # the reply for the recorded outcome (Reg. Arts. 36–39)
    DISCLOSE_NOTICE = "disclose_notice"  # to a third party: disclosed despite it (Art. 32)
    COOPERATION = "cooperation"  # 协办函 to a cooperating department (rulebook §6.5)
    SERVICE_RECEIPT = "service_receipt"  # 送达回证 for one issued letter (rulebook §9.5)


@dataclass(frozen=True)
class KindInfo:
    kind: LetterKind
    name: str  # the letter's own name: file names, lists, the ledger line (答复书)
    title: str  # second title line, under the agency name
    series: str  # key of settings.letters.series
    event: EventKind | None = None  # recorded on issue unless already recorded
    to_applicant: bool = True  # False: addressed to the consulted party or a department
    remedy: bool = False  # carries the remedy clause (a decision on the application)
    # where a person chooses the kind (`letter kinds`, --kind's help, the form): the name with
    # what tells it from its neighbours, e.g. 答复书（按记录的答复结果）; never a file name
    description: str = ""

    @property
    def label(self) -> str:
        return self.description or self.name

    @property
    def template(self) -> str:
        return f"{self.kind.value}.docx"


KINDS: dict[LetterKind, KindInfo] = {
    k.kind: k
    for k in (
        KindInfo(LetterKind.RECEIPT, "登记回执", "政府信息公开申请登记回执", "notice"),
        KindInfo(
            LetterKind.CORRECTION,
            "补正告知书",
            "政府信息公开申请补正告知书",
            "notice",
            EventKind.CORRECTION_REQUESTED,
        ),
        KindInfo(
            LetterKind.EXTENSION,
            "延期答复告知书",
            "政府信息公开申请延期答复告知书",
            "notice",
            EventKind.EXTENSION_GRANTED,
        ),
        KindInfo(
            LetterKind.CONSULTATION,
            "征求第三方意见书",
            "政府信息公开征求第三方意见书",
            "consultation",
            EventKind.CONSULTATION_SENT,
            to_applicant=False,
            description="征求意见书（第三方）",
        ),
        KindInfo(
            LetterKind.CONSULTATION_AGENCY,
            "征求意见函",
            "政府信息公开征求意见函",
            "consultation",
            EventKind.CONSULTATION_SENT,
            to_applicant=False,
            description="征求意见函（共同制作机关）",
        ),
        KindInfo(
            LetterKind.CONSULTATION_NOTICE,
            "征求意见告知书",
            "政府信息公开申请征求意见告知书",
            "notice",
        ),
        KindInfo(
            LetterKind.FEE,
            "收费通知书",
            "政府信息公开信息处理费收费通知书",
            "notice",
            EventKind.FEE_NOTICE_SENT,
        ),
        KindInfo(LetterKind.ART35, "说明理由告知书", "政府信息公开申请说明理由告知书", "notice"),
        KindInfo(
            LetterKind.DEFERRED,
            "延迟答复告知书",
            "政府信息公开申请延迟答复告知书",
            "notice",
            EventKind.DEFERRED,
            description="延迟答复告知书（第三十五条）",
        ),
        KindInfo(
            LetterKind.ABANDONED,
            "终止办理告知书",
            "政府信息公开申请终止办理告知书",
            "reply",
            EventKind.ABANDONED,
            remedy=True,
            description="视为放弃申请（终止办理）告知书",
        ),
        KindInfo(
            LetterKind.REPLY,
            "答复书",
            "政府信息公开申请答复书",
            "reply",
            EventKind.REPLIED,
            remedy=True,
            description="答复书（按记录的答复结果）",
        ),
        KindInfo(
            LetterKind.DISCLOSE_NOTICE,
            "决定公开告知书",
            "政府信息公开决定公开告知书",
            "consultation",
            to_applicant=False,
            description="决定公开告知书（第三方）",
        ),
        KindInfo(
            LetterKind.COOPERATION,
            "协办函",
            "政府信息公开申请协办函",
            "notice",
            to_applicant=False,
            description="协办函（本机关承办部门）",
        ),
        KindInfo(LetterKind.SERVICE_RECEIPT, "送达回证", "送达回证", "notice"),
    )
}


def kind_info(value: str) -> KindInfo:
    """The catalogue entry for `value`; raises InvalidInput naming --kind."""
    from disclosure.errors import InvalidInput

    try:
        return KINDS[LetterKind(value)]
    except ValueError as exc:
        raise InvalidInput(
            f"未知的文书种类 {value!r}；可用：{', '.join(k.value for k in LetterKind)}",
            field="--kind",
        ) from exc
