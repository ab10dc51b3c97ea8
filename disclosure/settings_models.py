"""The settings' shape: one pydantic model per section of config.toml, and `Settings`.

Loading (config.toml, DISCLOSURE_<SECTION>__<KEY> variables) is `disclosure.settings`.
"""

from __future__ import annotations

import ipaddress
import os
import re
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from disclosure.vocabulary import ApprovalRole
from rules import periods


class Section(BaseModel):
    """A section of config.toml (or a table inside one): a key it does not know is an error
    ("没有这个配置项"), so a misspelt or misplaced key is never silently ignored."""

    model_config = ConfigDict(extra="forbid")


_DATABASE_URL = re.compile(r"(sqlite|postgresql)(\+[a-z0-9_]+)?://", re.IGNORECASE)


class OfficeSettings(Section):
    agency_name: str = "某市某局"
    agency_abbr: str = "某局"  # used in serial numbers (文号), e.g. 穗应急
    office_name: str = "政府信息公开工作机构"
    timezone: str = "Asia/Shanghai"
    address: str = ""
    phone: str = ""
    web_base_url: str = ""  # links in e-mails, e.g. http://10.0.0.5:8000
    operator: str = ""  # the login the CLI records as acting (DISCLOSURE_ACTOR overrides)
    # A cooperating department's answer is due this many working days before the internal
    # target (rulebook §6.5 #internal-cooperation; rules.cooperation).
    cooperation_lead_days: int = Field(default=3, ge=0, le=20)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"未知的时区 {v!r}（如 Asia/Shanghai）") from None
        return v


class DatabaseSettings(Section):
    url: str = "sqlite:///data/disclosure.db"
    echo: bool = False
    # Seconds a write waits for another long write (an import) before "the register is busy".
    busy_timeout: float = Field(default=20.0, gt=0, le=600)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        # The two databases this product runs on (SQLAlchemy parses the rest when connecting).
        if not _DATABASE_URL.match(v):
            raise ValueError(
                "须为 SQLite 或 PostgreSQL 的地址，如 sqlite:///data/disclosure.db 或 "
                "postgresql+psycopg://用户@主机:5432/数据库"
            )
        return v


class SmtpSettings(Section):
    host: str = ""  # empty: write .eml files to [notifier] outbox_dir instead
    port: int = 25
    security: Literal["none", "starttls", "tls"] = "none"
    username: str = ""
    password: str = ""
    password_env: str = ""  # name of an environment variable holding the password
    sender: str = "disclosure@example.gov.cn"
    # RFC 5321 section 4.5.3.2: 5 minutes for the greeting and each command, 10 minutes for
    # the reply to the end of DATA (a gateway may scan the message first). Seconds.
    timeout: float = Field(default=300.0, gt=0)
    data_timeout: float = Field(default=600.0, gt=0)

    def resolved_password(self) -> str:
        if self.password_env:
            return os.environ.get(self.password_env, "")
        return self.password


class Department(Section):
    code: str
    name: str
    contact: str = ""
    email: str = ""
    phone: str = ""


class Leader(Section):
    name: str
    email: str


class NotifierSettings(Section):
    office_recipients: list[str] = Field(default_factory=list)
    clocks: list[str] = Field(
        default_factory=lambda: [
            "reply_due",
            "internal_target",
            "correction_notice_due",
            "correction_deadline",
            "consultation_due",
            "fee_payment_due",
            "unconfirmed_arrival",
            "task_due",
            "task_progress_due",
            "cooperation_due",
            "approval_waiting",
        ]
    )
    days_ahead: list[int] = Field(default_factory=lambda: [5, 3, 1])
    # The correction-notice clock (Reg. Art. 30, 7 working days) warns only this many working
    # days ahead instead of `days_ahead` (rulebook §10.3): most applications need no correction.
    correction_notice_days_ahead: list[int] = Field(default_factory=lambda: [1])
    on_due_day: bool = True
    daily_when_overdue: bool = True
    escalate_after: int = 3  # working days overdue before leaders are told
    leaders: list[Leader] = Field(default_factory=list)
    run_times: list[str] = Field(default_factory=lambda: ["08:30"])
    outbox_dir: str = "outbox"
    calendar_warning_days: int = 60
    max_attempts: int = 10
    template_dir: str = ""  # a folder of .j2 templates overriding notifier/templates

    def escalates(self, days_late: int) -> bool:
        return escalates(self.escalate_after, days_late)

    @field_validator("run_times")
    @classmethod
    def _times(cls, v: list[str]) -> list[str]:
        for t in v:
            time.fromisoformat(t)
        return v


def escalates(escalate_after: int, days_late: int) -> bool:
    """Whether a clock `days_late` working days overdue is reported to the leaders (never when
    `[notifier] escalate_after` is 0 or less): the one rule behind the reminder scan
    (`notifier.policy.hits`) and the dashboard's count of it (`services.dashboard.reminded`)."""
    return escalate_after > 0 and days_late >= escalate_after


class LetterSettings(Section):
    template_dir: str = ""  # a folder of .docx templates overriding the built-in ones
    out_dir: str = "letters"  # where `disclosure letter` writes without --out (config's folder)
    serial_pattern: str = "{abbr}{series}〔{year}〕{n}号"
    series: dict[str, str] = Field(
        default_factory=lambda: {"reply": "依申复", "notice": "依申告", "consultation": "依申征"}
    )
    delivery: str = "邮寄"
    # Practice (rulebook §6.2): working days between telling a third party that its information
    # will be disclosed despite its objection and disclosing it; the Regulations set none.
    disclose_wait_days: int = Field(default=15, ge=0, le=60)
    # How to pay the information-processing fee (Fees art. 7), printed in fee notices.
    payment_method: str = (
        "请持本通知书到本机关政府信息公开工作机构办理缴费手续，"
        "或按本机关告知的非税收入缴款方式缴纳。"
    )


class RemedySettings(Section):
    reconsideration_organ: str = "某市人民政府"
    court: str = "某市某区人民法院"


class TargetRule(Section):
    days_before_due: int | None = None
    within_days: int | None = None
    name: str = ""  # a case type's name in the clerk's words (forms, the ledger)


# The names of the case types config.toml ships, for a config written before `name` existed.
SHIPPED_CASE_TYPE_NAMES = {"already_public": "已主动公开", "not_ours": "非本机关掌握"}


class TargetSettings(Section):
    default: TargetRule = Field(default_factory=lambda: TargetRule(days_before_due=5))
    case_types: dict[str, TargetRule] = Field(default_factory=dict)

    def name_of(self, code: str) -> str:
        """A case type's name: its `name`, else the shipped one, else its key."""
        rule = self.case_types.get(code)
        return (rule.name if rule else "") or SHIPPED_CASE_TYPE_NAMES.get(code, code)


class RuleSettings(Section):
    correction_period: int = Field(default=periods.DEFAULT_CORRECTION_PERIOD, ge=1, le=60)
    fee_pauses_clock: bool = True


class Closure(Section):
    date: date
    reason: str = "停止办公"


class CalendarSettings(Section):
    extra_files: list[str] = Field(default_factory=list)
    closures: list[Closure] = Field(default_factory=list)


class RegistrationSettings(Section):
    number_pattern: str = "{year}-{seq:05d}"


class WebSettings(Section):
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = ""  # empty: generated once and kept in data/secret_key
    page_size: int = 50
    login_attempts: int = 5
    login_window_seconds: int = 300
    # Answer every N-th request on one connection with "Connection: close" so that browsers
    # reconnect and several worker processes share the users (0 = never).
    keepalive_requests: int = Field(default=20, ge=0)
    # Hardened edges (docs/security.md).
    https: bool = False  # served over HTTPS (directly or behind a TLS proxy): Secure cookies, HSTS
    trusted_proxies: list[str] = Field(default_factory=list)  # X-Forwarded-For only from these
    session_hours: float = Field(default=8.0, gt=0, le=24 * 30)  # absolute lifetime of a sign-in
    idle_minutes: int = Field(default=120, ge=1, le=24 * 60)  # signed out after this much quiet
    max_request_mb: int = Field(default=50, ge=1, le=4096)  # largest request body accepted
    address_attempts: int = Field(default=20, ge=1)  # failed logins per address per window
    concurrent_sign_ins: int = Field(default=2, ge=1, le=64)  # password checks at once per process
    # Steps that close or lengthen a case are the office's (issue 18); list those that the
    # lead department's handlers may also record on their own cases.
    department_may_record: list[Literal["reply", "extend", "withdraw", "abandon"]] = Field(
        default_factory=list
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, v: list[str]) -> list[str]:
        for item in v:
            ipaddress.ip_network(item, strict=False)
        return v


class BackupSettings(Section):
    dir: str = "backups"  # where `disclosure backup` and the daily backup write
    time: str = "02:00"  # the office service's daily backup, office time zone; "" = none
    keep: int = Field(default=14, ge=1)  # scheduled and manual backups kept in `dir`
    pg_bin_dir: str = ""  # folder holding pg_dump and pg_restore (empty: from PATH)

    @field_validator("time")
    @classmethod
    def _time(cls, v: str) -> str:
        if v:
            time.fromisoformat(v)
        return v


class DocumentSettings(Section):
    dir: str = "data/documents"  # the content-addressed file store (disclosure.storage)
    max_mb: int = Field(default=50, ge=1, le=2048)  # largest file accepted


class TaskSettings(Section):
    """The key-task ledger (disclosure.tasks)."""

    review_every: Literal["monthly", "quarterly", "half_yearly", "yearly"] = "quarterly"
    # Unit names as the plan writes them → department code, where the name differs from the
    # configured department's name (e.g. "新闻处" = "xwc" for 新闻宣传处).
    aliases: dict[str, str] = Field(default_factory=dict)
    url_timeout: float = Field(default=10.0, gt=0, le=120)  # fetching a URL given as evidence


class ReportSettings(Section):
    """The annual report's document (disclosure.report.annual_docx)."""

    body_font: str = "仿宋_GB2312"
    body_fallbacks: list[str] = Field(
        default_factory=lambda: ["仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"]
    )
    title_font: str = "方正小标宋简体"
    title_fallbacks: list[str] = Field(
        default_factory=lambda: ["华文中宋", "STZhongsong", "宋体", "Noto Serif CJK SC"]
    )
    heading_font: str = "黑体"
    heading_fallbacks: list[str] = Field(default_factory=lambda: ["SimHei", "Noto Sans CJK SC"])
    soffice: str = "soffice"  # LibreOffice, for --format pdf
    pdf_timeout: float = Field(default=120.0, gt=0)


class ServiceSettings(Section):
    # Remind when an issued letter has no service record after this many working days.
    unserved_warning_days: int = Field(default=5, ge=1, le=60)


class RetentionSettings(Section):
    # Years a case file is kept after archiving; then `disclosure retention run` removes the
    # applicant's ID number, phone, e-mail and address (the statistics stay).
    years: int = Field(default=10, ge=1, le=100)


APPROVAL_ROLES = tuple(r.value for r in ApprovalRole)


def _check_chain(v: list[str]) -> list[str]:
    if not v:
        raise ValueError("审批链不能为空")
    for role in v:
        if role not in APPROVAL_ROLES:
            raise ValueError(f"未知的审批角色 {role!r}；可用：{'、'.join(APPROVAL_ROLES)}")
    if len(set(v)) != len(v):
        raise ValueError("审批链中的角色不能重复")
    return v


Chain = Annotated[list[str], AfterValidator(_check_chain)]


class ApprovalSettings(Section):
    """The sign-off chain before a reply or an extension notice (disclosure.people)."""

    required: bool = False  # false: letters are issued without sign-off (the old behaviour)
    chain: Chain = Field(default_factory=lambda: list(APPROVAL_ROLES))
    case_types: dict[str, Chain] = Field(default_factory=dict)  # a chain per case type
    # Reg. Art. 33: an extension needs the consent of the head of the disclosure office.
    extension_chain: Chain = Field(default_factory=lambda: ["office_head"])
    drafter_may_approve: bool = False  # may the one who drafted approve a step of the chain
    # A step of the chain waiting longer than this many working days warns in the digest.
    warn_after_days: int = Field(default=2, ge=1, le=60)

    def chain_for(self, case_type: str) -> list[str]:
        return self.case_types.get(case_type, self.chain)


class PlatformSettings(Section):
    """The provincial online platform's export (`disclosure import FILE --source platform`)."""

    source: str = "platform"  # whose external references: the pushing API token's source
    # register field → the export's column name (overrides the built-in names; the fields
    # are those of disclosure.api.platform_import.DEFAULT_COLUMNS, checked on import)
    columns: dict[str, str] = Field(default_factory=dict)


class Settings(BaseModel):
    """The whole configuration. `disclosure.settings.load_settings` reads the file and the
    environment; the validation options are those pydantic-settings' `BaseSettings` uses, so
    the result is the same either way (disclosure.settings_env)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, validate_default=True)

    office: OfficeSettings = Field(default_factory=OfficeSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    departments: list[Department] = Field(default_factory=list)
    notifier: NotifierSettings = Field(default_factory=NotifierSettings)
    letters: LetterSettings = Field(default_factory=LetterSettings)
    remedy: RemedySettings = Field(default_factory=RemedySettings)
    targets: TargetSettings = Field(default_factory=TargetSettings)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    registration: RegistrationSettings = Field(default_factory=RegistrationSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    tasks: TaskSettings = Field(default_factory=TaskSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    backup: BackupSettings = Field(default_factory=BackupSettings)
    approval: ApprovalSettings = Field(default_factory=ApprovalSettings)
    platform: PlatformSettings = Field(default_factory=PlatformSettings)
    config_path: str = ""  # where the settings came from ("" = built-in defaults)

    @property
    def base_dir(self) -> Path:
        """Relative paths (database, outbox, templates) resolve against the config's folder."""
        return Path(self.config_path).resolve().parent if self.config_path else Path.cwd()

    def resolve(self, path: str) -> Path:
        p = Path(path)
        return p if p.is_absolute() else self.base_dir / p

    def department_codes(self) -> set[str]:
        return {d.code for d in self.departments}
