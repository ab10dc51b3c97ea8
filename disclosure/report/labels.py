"""Display labels of the annual-report form (国办公开办函〔2021〕30号) and of the ledger.

Row labels follow the official form word for word; they are shared by the xlsx and Markdown
renderings so the office sees the same text everywhere.
"""

from __future__ import annotations

from disclosure.outcomes import OUTCOMES
from disclosure.report.models import ReviewKind, ReviewResult
from disclosure.vocabulary import ApplicantType

# Table 三 columns, in the form's order (the last is the row total).
APPLICANT_COLUMNS: tuple[ApplicantType, ...] = (
    ApplicantType.NATURAL,
    ApplicantType.BUSINESS,
    ApplicantType.RESEARCH,
    ApplicantType.PUBLIC_INTEREST,
    ApplicantType.LEGAL_SERVICES,
    ApplicantType.OTHER,
)
TOTAL_LABEL = "总计"
COLUMN_NAMES: list[str] = [t.label for t in APPLICANT_COLUMNS] + [TOTAL_LABEL]

TABLE3_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_RESULTS = "三、本年度办理结果"
ROW_TOTAL = "（七）总计"
ROW_CARRIED_FORWARD = "四、结转下年度继续办理"
# The form's wording where it differs from the outcome's group name.
GROUP_LABELS = {"（二）部分公开": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}


def outcome_row_labels(code: str) -> tuple[str, str | None]:
    """(group, item or None) of an outcome row: "3.1" → ("（三）不予公开", "1.属于国家秘密")."""
    o = OUTCOMES[code]
    group = GROUP_LABELS.get(o.group, o.group)
    if "." not in code:
        return group, None
    return group, f"{code.split('.', 1)[1]}.{o.label}"


REVIEW_KIND_LABELS = {
    ReviewKind.RECONSIDERATION.value: "行政复议",
    ReviewKind.LITIGATION_DIRECT.value: "未经复议直接起诉",
    ReviewKind.LITIGATION_AFTER_REVIEW.value: "复议后起诉",
}
REVIEW_RESULT_LABELS = {
    ReviewResult.MAINTAINED.value: "结果维持",
    ReviewResult.CORRECTED.value: "结果纠正",
    ReviewResult.OTHER.value: "其他结果",
    ReviewResult.PENDING.value: "尚未审结",
}
REVIEW_COLUMNS: list[str] = [*REVIEW_RESULT_LABELS.values(), TOTAL_LABEL]
