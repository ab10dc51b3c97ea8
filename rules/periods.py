"""Statutory periods, each with its source. Services never use a bare number instead.

All lengths are in working days (工作日) counted by `rules.calendar.WorkingCalendar`.
"""

from __future__ import annotations

# Reg. Art. 33 ¶2: reply within 20 working days of receipt.
REPLY_PERIOD = 20
# Reg. Art. 33 ¶2: one extension of at most 20 working days, approved by the office head.
MAX_EXTENSION = 20
# Reg. Art. 30: ask for corrections once, within 7 working days of receipt.
CORRECTION_NOTICE_PERIOD = 7
# Practice (rulebook §5): the law fixes no correction period; office default.
DEFAULT_CORRECTION_PERIOD = 15
# Reg. Art. 32 (third party) and Art. 34 (other agencies): 15 working days to give an opinion.
CONSULTATION_PERIOD = 15
# Fees (国办函〔2020〕109号), the notice-and-payment provision (its number unsettled, rulebook
# §7.9): pay within 20 working days from the day after the notice.
FEE_PAYMENT_PERIOD = 20
# How that provision is cited: by the title alone until its number is read from the text.
FEE_BASIS = "《政府信息公开信息处理费管理办法》"
# Provisional horizon: years past the last official notice that are still computed (rulebook §1).
PROVISIONAL_HORIZON_YEARS = 10
