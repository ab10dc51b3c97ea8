"""Turns office settings into the engine's `Policy` (internal targets by case type)."""

from __future__ import annotations

from disclosure.errors import InvalidInput
from disclosure.settings import Settings
from rules.engine import Policy


def engine_policy(settings: Settings, case_type: str | None = None) -> Policy:
    rule = settings.targets.default
    if case_type:
        if case_type not in settings.targets.case_types:
            raise InvalidInput(f"未配置的案件类型：{case_type}", field="case_type")
        rule = settings.targets.case_types[case_type]
    return Policy(
        correction_period=settings.rules.correction_period,
        fee_pauses_clock=settings.rules.fee_pauses_clock,
        target_days_before_due=rule.days_before_due,
        target_within_days=rule.within_days,
    )
