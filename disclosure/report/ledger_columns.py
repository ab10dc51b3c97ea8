"""The ledger's columns: one list shared by export and import, so export → import round-trips.

`imported=False` columns are computed from the register (deadlines, on-time flag); import
accepts and ignores them, since the engine recomputes them from the dated history.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = "text"  # text | date | int
    imported: bool = True
    required: bool = False  # the header must be present in an imported file
    admin_only: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", "登记编号", 14, required=True),
    Column("channel", "提交方式", 12, required=True),
    Column("arrived_on", "送达日期", 12, "date"),
    Column("received_on", "收到日期", 12, "date", required=True),
    Column("applicant_name", "申请人", 16, required=True),
    Column("applicant_type", "申请人类型", 12, required=True),
    Column("id_number", "证件号码", 20, admin_only=True),
    Column("phone", "联系电话", 14),
    Column("email", "电子邮箱", 20),
    Column("address", "通讯地址", 24),
    Column("content", "申请内容", 40, required=True),
    Column("form_wanted", "获取方式", 10),
    Column("case_type", "案件类型", 10),
    Column("department", "主办部门", 14),
    Column("cooperating", "协办部门", 14),
    Column("correction_requested_on", "补正告知日期", 12, "date"),
    # The day the notice reached the applicant: the correction period runs from it (rulebook §5).
    Column("correction_served_on", "补正告知送达日期", 12, "date"),
    Column("correction_received_on", "收到补正日期", 12, "date"),
    Column("fee_notice_on", "收费通知日期", 12, "date"),
    Column("fee_notice_served_on", "收费通知送达日期", 12, "date"),  # payment runs from it (§7)
    Column("fee_amount", "收费金额（元）", 10, "int"),
    Column("fee_paid_on", "缴费日期", 12, "date"),
    Column("extension_on", "延期日期", 12, "date"),
    Column("extension_days", "延期工作日数", 8, "int"),
    Column("extension_approver", "延期批准人", 10),
    Column("reply_due", "答复期限", 12, "date", imported=False),
    # 临时 / 推算, as the letters and `show` mark the date (rulebook §9.2 "letter-date-marks")
    Column("reply_due_mark", "答复期限标注", 10, imported=False),
    Column("closed_on", "办结日期", 12, "date"),
    Column("outcome", "结果代码", 8),
    Column("outcome_label", "办理结果", 24, imported=False),
    Column("on_time", "是否按期", 8, imported=False),
    Column("stage", "阶段", 8),
    # Steps no column above holds (ledger_export.UNLISTED_KINDS): an import refuses the row.
    Column("unlisted_steps", "台账未载步骤", 30),
)

BY_HEADER = {c.header: c for c in COLUMNS}
BY_KEY = {c.key: c for c in COLUMNS}
LIST_SEPARATORS = ("、", ",", "，", ";", "；")


def export_columns(*, admin: bool) -> list[Column]:
    """The columns of an export; personal ID numbers only in an admin export."""
    return [c for c in COLUMNS if admin or not c.admin_only]
