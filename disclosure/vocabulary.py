"""The domain's words, each with its one Chinese label.

Every kind, stage, state, clock, channel, applicant type and role the product knows is a
`StrEnum` here; its value is the stable key (database, config, JSON, URLs) and its `label`
the text a person reads (web, CLI, letters, e-mails, exports). No other module keeps a table
of labels for these words.

`rules/` keeps its own enums (it stays pure and importable alone); where a word exists in
both, the values are the same, so `rules.events.Channel(vocabulary.Channel.FAX)` converts.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A `StrEnum` whose members are declared as ``NAME = "value", "中文标签"``."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """value → label, for templates and help texts."""
        return {m.value: m.label for m in cls}

    @classmethod
    def choices(cls) -> str:
        """ "in_person（当面提交）| post_signed（…）…" for CLI help texts."""
        return " | ".join(f"{m.value}（{m.label}）" for m in cls)


class Channel(Labelled):
    """How the application arrived; fixes its legal receipt date (Reg. Art. 31, rulebook §3)."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（挂号信、快递）"
    POST_UNSIGNED = "post_unsigned", "平信"
    ONLINE = "online", "网络（在线平台、电子邮件）"
    FAX = "fax", "传真"


class ApplicantType(Labelled):
    """Annual-report table 三 columns (国办公开办函〔2021〕30号, rulebook §8)."""

    NATURAL = "natural", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICES = "legal_services", "法律服务机构"
    OTHER = "other", "其他"


class Stage(Labelled):
    """Workflow stages of the ledger (Reg. Art. 45): 登记 → 审核 → 办理 → 答复 → 归档."""

    REGISTERED = "registered", "登记"
    REVIEW = "review", "审核"
    HANDLING = "handling", "办理"
    REPLIED = "replied", "答复"
    ARCHIVED = "archived", "归档"


class DeadlineState(Labelled):
    """Where an application stands against its reply deadline on a given day."""

    RUNNING = "running", "计时中"
    PAUSED = "paused", "暂停计时"
    AWAITING_CORRECTION = "awaiting_correction", "等待补正"
    OVERDUE = "overdue", "已超期"
    CLOSED_ON_TIME = "closed_on_time", "按期办结"
    CLOSED_LATE = "closed_late", "逾期办结"
    UNCONFIRMED = "unconfirmed", "待确认收到"


class Clock(Labelled):
    """The dated things reminders and lists watch; values are config and reminder keys."""

    REPLY = "reply_due", "答复期限"
    INTERNAL_TARGET = "internal_target", "内部办理时限"
    CORRECTION_NOTICE = "correction_notice_due", "补正告知期限"
    CORRECTION_DEADLINE = "correction_deadline", "申请人补正期限"
    CONSULTATION = "consultation_due", "征求意见答复期限"
    FEE_PAYMENT = "fee_payment_due", "缴费期限"
    UNCONFIRMED_ARRIVAL = "unconfirmed_arrival", "送达后尚未确认收到"


class EventKind(Labelled):
    """Every line of an application's event log (the ledger of Reg. Art. 45).

    The engine's kinds (`rules.events.EventKind`) have the same values; the others are the
    office's own steps, which move no deadline.
    """

    REGISTERED = "registered", "登记"
    CONFIRMED = "confirmed", "确认收到"
    RECEIVED = "received", "收到申请（法定收到日期）"
    CORRECTION_REQUESTED = "correction_requested", "发出补正告知"
    CORRECTION_RECEIVED = "correction_received", "收到补正申请"
    EXTENSION_GRANTED = "extension_granted", "延期答复"
    CONSULTATION_SENT = "consultation_sent", "发出征求意见"
    CONSULTATION_ANSWERED = "consultation_answered", "收到第三方或机关意见"
    FEE_NOTICE_SENT = "fee_notice_sent", "发出收费通知"
    FEE_PAID = "fee_paid", "申请人缴费"
    DEFERRED = "deferred", "依第三十五条确定答复期限"
    PAUSE = "pause", "暂停计算"
    REPLIED = "replied", "答复"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    ABANDONED = "abandoned", "视为放弃申请"
    ASSIGNED = "assigned", "分办"
    STAGE_MOVED = "stage_moved", "转入下一阶段"
    LETTER_ISSUED = "letter_issued", "出具文书"
    NOTE = "note", "备注"


# Events that close an application (it then has its outcome, Reg. Arts. 36–39).
CLOSING_KINDS = frozenset({EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.ABANDONED})


class PartyKind(Labelled):
    """Who is consulted (Reg. Arts. 32, 34)."""

    THIRD_PARTY = "third_party", "第三方"  # Art. 32: silence is not consent
    AGENCY = "agency", "行政机关"  # Art. 34: silence is consent


class AbandonReason(Labelled):
    """Why an application is deemed abandoned (视为放弃申请)."""

    CORRECTION = "correction", "逾期不补正"  # Reg. Art. 30, outcome 6.1
    FEE = "fee", "逾期未缴费"  # Fees measures, outcome 6.2


class Role(Labelled):
    """What a signed-in user may do (web)."""

    ADMIN = "admin", "系统管理员"
    CLERK = "clerk", "公开办经办人"
    DEPARTMENT = "department", "部门经办人"


class CalendarAction(Labelled):
    """How a version of a year's holiday notices came about (`calendar_version.action`)."""

    LOAD = "load", "载入"
    REVERT = "revert", "恢复"
