"""The registration form's choices in the clerk's words: the case types (内部时限) by their
Chinese names with the target each sets, and the applicant types that have a credit code."""

from __future__ import annotations

from disclosure.settings import TargetRule, TargetSettings
from disclosure.vocabulary import ApplicantType

# Organisations (法人或其他组织) have a unified social credit code (`register --credit-code`).
CREDIT_CODE_TYPES = tuple(t.value for t in ApplicantType if t is not ApplicantType.NATURAL)


def target_text(rule: TargetRule) -> str:
    """E.g. 收到后 5 个工作日内, 答复期限前 5 个工作日 (the engine takes the earlier of both)."""
    parts = []
    if rule.within_days is not None:
        parts.append(f"收到后 {rule.within_days} 个工作日内")
    if rule.days_before_due is not None:
        parts.append(f"答复期限前 {rule.days_before_due} 个工作日")
    return "或".join(parts)


def _label(name: str, rule: TargetRule) -> str:
    target = target_text(rule)
    return f"{name}（{target}）" if target else name


def case_type_choices(targets: TargetSettings) -> list[tuple[str, str]]:
    """(code, label) of each configured case type; the value stays the code."""
    return [
        (code, _label(targets.name_of(code), targets.case_types[code]))
        for code in sorted(targets.case_types)
    ]


def default_case_label(targets: TargetSettings) -> str:
    """The blank choice: the office's default target."""
    return _label("一般", targets.default)
