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


class ApplicantKey(Labelled):
    """What identifies an applicant across applications (disclosure.people.applicants)."""

    ID_NUMBER = "id_number", "居民身份证号码"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    NAME_PHONE = "name_phone", "姓名或名称与联系电话"


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


class ListState(Labelled):
    """A dashboard tile's state (情形), as the list's `state` filter names it; its conditions
    are `disclosure.services.list_states.state_conditions`."""

    PAUSED = "paused", "暂停计时"
    AWAITING_CORRECTION = "awaiting_correction", "等待补正"
    PROVISIONAL = "provisional", "临时期限"
    FLAGGED = "flagged", "有逾时步骤提示"
    INTERNAL_OVERDUE = "internal_overdue", "内部时限已过"
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
    TASK_DUE = "task_due", "重点任务完成时限"
    TASK_PROGRESS = "task_progress_due", "重点任务进展报送"
    COOPERATION = "cooperation_due", "协办部门答复时限"
    APPROVAL = "approval_waiting", "待审批"


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
    LATE_PAYMENT_ACCEPTED = "late_payment_accepted", "同意逾期缴费"
    DEFERRED = "deferred", "依第三十五条确定答复期限"
    PAUSE = "pause", "暂停计算"
    REPLIED = "replied", "答复"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    ABANDONED = "abandoned", "视为放弃申请"
    ASSIGNED = "assigned", "分办"
    STAGE_MOVED = "stage_moved", "转入下一阶段"
    LETTER_ISSUED = "letter_issued", "出具文书"
    NOTE = "note", "备注"
    AMENDED = "amended", "更正登记信息"
    RECEIPT_CORRECTED = "receipt_corrected", "更正收到日期"
    # The case file (disclosure.casefile): documents, service of letters, the archive.
    DOCUMENT_ATTACHED = "document_attached", "附加材料"
    LETTER_SERVED = "letter_served", "文书送达"
    CASE_ARCHIVED = "case_archived", "生成案卷"
    PERSONAL_DATA_REMOVED = "personal_data_removed", "删除个人信息（保存期限届满）"
    # Sign-off before a reply or an extension (disclosure.people.approval_chain).
    DRAFTED = "drafted", "拟办"
    APPROVED = "approved", "审批同意"
    SENT_BACK = "sent_back", "审批退回"
    # Registration's check for an earlier application with the same request (Art. 36(6)).
    DUPLICATE_DECIDED = "duplicate_decided", "重复申请核查"
    # The hand-off to the lead department and the cooperating ones (handoff_steps).
    ACCEPTED = "accepted", "部门签收"
    RETURNED = "returned", "部门退回"
    COOPERATION_ANSWERED = "cooperation_answered", "协办部门回复"


# Events that close an application (it then has its outcome, Reg. Arts. 36–39).
CLOSING_KINDS = frozenset({EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.ABANDONED})


class DocumentKind(Labelled):
    """What a document in the case file is (Reg. Art. 45: 登记、审核、办理、答复、归档)."""

    APPLICATION_FORM = "application_form", "申请表"
    ID_DOCUMENT = "id_document", "身份证明"
    ENVELOPE = "envelope", "信封/邮件凭证"
    CORRECTION = "correction", "补正材料"
    OPINION = "opinion", "征求意见回复"
    REPLY = "reply", "答复书"
    SERVICE_PROOF = "service_proof", "送达凭证"
    OTHER = "other", "其他"


class ServiceMethod(Labelled):
    """How a letter was served (送达). When it counts as given or received: `disclosure.casefile
    .serving` (国办公开办函〔2016〕235号; rulebook §4 last bullet, §11 "Served dates")."""

    DIRECT = "direct", "直接送达"
    POST_EMS = "post_ems", "邮政EMS"
    POST_REGISTERED = "post_registered", "挂号信"
    EMAIL = "email", "电子送达（电子邮件）"
    PLATFORM = "platform", "电子送达（在线平台）"

    @property
    def by_post(self) -> bool:
        return self in (ServiceMethod.POST_EMS, ServiceMethod.POST_REGISTERED)

    @property
    def electronic(self) -> bool:
        return self in (ServiceMethod.EMAIL, ServiceMethod.PLATFORM)


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


class ApprovalRole(Labelled):
    """A position in the sign-off chain (审批链) of a reply or an extension notice."""

    DEPARTMENT_HEAD = "department_head", "承办部门负责人"
    OFFICE_HEAD = "office_head", "政府信息公开工作机构负责人"
    LEADER = "leader", "分管领导"


class ApprovalPurpose(Labelled):
    """What a draft (拟办意见) asks to be approved."""

    REPLY = "reply", "答复"
    EXTENSION = "extension", "延期答复"


class TaskStatus(Labelled):
    """Where a key task of the yearly work plan stands (disclosure.tasks)."""

    OPEN = "open", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class ReviewFrequency(Labelled):
    """How often a continuing task (持续推进) reports its progress."""

    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"


class TaskOrigin(Labelled):
    """Where a task comes from: the year's plan, or the 回头看 of last year's plan."""

    PLAN = "plan", "工作要点分工"
    RECTIFICATION = "rectification", "回头看整改"


class UnitRole(Labelled):
    """A department's part in a task."""

    LEAD = "lead", "牵头"
    COOPERATING = "cooperating", "配合"


class EvidenceKind(Labelled):
    """What backs a progress note: a stored file, or a web page with its stored snapshot."""

    FILE = "file", "文件"
    URL = "url", "网页"


class AuditAction(Labelled):
    """What the audit log records besides application events (`disclosure.audit`).

    Adding a member needs a migration: the column has a CHECK of these values.
    """

    SIGN_IN = "sign_in", "登录"
    SIGN_IN_FAILED = "sign_in_failed", "登录失败"
    SIGN_IN_LOCKED = "sign_in_locked", "登录暂停（失败次数过多）"
    SIGN_OUT = "sign_out", "退出登录"
    USER_CREATED = "user_created", "新增用户"
    USER_CHANGED = "user_changed", "修改用户"
    USER_ENABLED = "user_enabled", "启用用户"
    USER_DISABLED = "user_disabled", "停用用户"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    DEPARTMENT_CREATED = "department_created", "新增部门"
    DEPARTMENT_CHANGED = "department_changed", "修改部门"
    CALENDAR_LOADED = "calendar_loaded", "载入节假日安排"
    CALENDAR_REVERTED = "calendar_reverted", "恢复节假日安排"
    LEDGER_EXPORTED = "ledger_exported", "导出台账"
    REPORT_EXPORTED = "report_exported", "导出年度报告"
    REPORT_PUBLISHED = "report_published", "发布年度报告"
    REPORT_REPUBLISHED = "report_republished", "更正发布年度报告"
    AUDIT_EXPORTED = "audit_exported", "导出审计日志"
    DOCUMENT_DOWNLOADED = "document_downloaded", "下载文书或材料"
    API_TOKEN_USED = "api_token_used", "使用接口令牌"
    BACKUP_CREATED = "backup_created", "备份"
    BACKUP_FAILED = "backup_failed", "备份失败"
    RESTORED = "restored", "从备份恢复"


class AuditChannel(Labelled):
    """Through which edge an audited action came."""

    WEB = "web", "网页"
    CLI = "cli", "命令行"
    SERVICE = "service", "后台服务"
    API = "api", "接口"


class CalendarAction(Labelled):
    """How a version of a year's holiday notices came about (`calendar_version.action`)."""

    LOAD = "load", "载入"
    REVERT = "revert", "恢复"


class ReplyVariant(Labelled):
    """The case the clerk chooses where one outcome code covers two (rulebook §8.2).

    Outcome 1: disclosed now (Reg. Art. 36(2)) or already proactively disclosed (36(1)); 2: the
    withheld part's own ground (Art. 37 with Art. 14, 15, 16 or 2); 3.4: which third-party right;
    4.1: does not exist (36(4)) or not this agency's (36(5)); 5.4: reasons unreasonable or not
    given (Art. 35); 6.3: withdrawal or another ground. Table: `disclosure.outcomes.CITATIONS`.
    """

    DISCLOSED_NOW = "disclosed_now", "现予公开"
    ALREADY_PUBLIC = "already_public", "已主动公开"
    SECRET = "secret", "不予公开部分属于国家秘密"
    FORBIDDEN = "forbidden", "不予公开部分属于法律、行政法规禁止公开的信息"
    SECURITY = "security", "不予公开部分公开后可能危及“三安全一稳定”"
    THIRD_PARTY = "third_party", "不予公开部分涉及第三方合法权益"
    INTERNAL = "internal", "不予公开部分属于内部事务信息"
    PROCESS = "process", "不予公开部分属于过程性信息"
    ENFORCEMENT = "enforcement", "不予公开部分属于行政执法案卷信息"
    NOT_GOV_INFO = "not_gov_info", "不予公开部分不属于政府信息"
    TRADE_SECRET = "trade_secret", "涉及商业秘密"
    PRIVACY = "privacy", "涉及个人隐私"
    REFUSED = "refused", "经征求意见第三方不同意公开"
    OTHER_RIGHTS = "other_rights", "涉及第三方其他合法权益"
    NOT_EXIST = "not_exist", "经检索该政府信息不存在"
    NOT_OURS = "not_ours", "不属于本机关负责公开"
    CONFIRM = "confirm", "要求确认已获取的信息"
    REISSUE = "reissue", "要求重新出具已获取的信息"
    UNREASONABLE = "unreasonable", "说明的理由不合理"
    NO_REASONS = "no_reasons", "未说明理由"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    OTHER = "other", "其他情形"


# The registration data an amendment may correct (`steps.office_steps.AMENDABLE`), in words:
# here, not with the step, so that the timeline's readers (`show`, the page) need not load
# the steps' catalogue.
AMENDABLE_LABELS = {
    "applicant": "申请人",
    "content": "申请内容",
    "email": "电子邮箱",
    "phone": "联系电话",
    "address": "通讯地址",
    "form": "获取方式",
    # a receipt correction's (`steps.receipt_steps.RECEIPT_FIELDS`)
    "channel": "提交方式",
    "arrived": "送达日期",
    "received": "法定收到日期",
}
