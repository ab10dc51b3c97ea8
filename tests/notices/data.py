"""TEST DATA — FICTIONAL holiday notices for 2027, made up for the tests.

None of them is the State Council's notice for 2027 (which does not exist at the time of
writing). Each covers the 13 statutory days of 2027 (元旦 1-01; 春节 2-05…2-08; 清明 4-05;
劳动节 5-01, 5-02; 端午 6-09; 中秋 9-15; 国庆 10-01…10-03) so that the load checks accept it,
and differs from the provisional 2027 (statutory days only) where a test needs it to.
"""

from __future__ import annotations

# 元旦 takes Mon 2027-01-04 off as well (a provisional year has only 1-01 off in January);
# Sat 1-16 is worked instead. Weekdays off 19, make-up days 6: 13 working days lost, as in
# 2025 and 2026; 29 days off; the longest break 2-05…2-14 (10 days, as 2020's).
FICTIONAL_2027 = """
[[notice]]
year = 2027
title = "测试数据（虚构）：国务院办公厅关于2027年部分节假日安排的通知"
number = "测试〔2026〕1号"
published = 2026-11-20
days_off = [
  { name = "元旦", start = 2027-01-01, end = 2027-01-04 },
  { name = "春节", start = 2027-02-05, end = 2027-02-12 },
  { name = "清明节", start = 2027-04-03, end = 2027-04-05 },
  { name = "劳动节", start = 2027-05-01, end = 2027-05-05 },
  { name = "端午节", start = 2027-06-09, end = 2027-06-09 },
  { name = "中秋节", start = 2027-09-15, end = 2027-09-15 },
  { name = "国庆节", start = 2027-10-01, end = 2027-10-07 },
]
working_weekend_days = [
  { date = 2027-01-16, name = "元旦" },
  { date = 2027-02-20, name = "春节" },
  { date = 2027-02-21, name = "春节" },
  { date = 2027-05-08, name = "劳动节" },
  { date = 2027-09-26, name = "国庆节" },
  { date = 2027-10-09, name = "国庆节" },
]
"""
TITLE_2027 = "测试数据（虚构）：国务院办公厅关于2027年部分节假日安排的通知"

# January as the provisional year has it (only 1-01 off), Sat 1-09 worked: 12 working days
# lost, so a reissue with Mon 1-04 off as well (`end = 2027-01-04`) is still within bounds.
NOTICE_2027 = """
[[notice]]
year = 2027
title = "国务院办公厅关于2027年部分节假日安排的通知（测试数据，虚构）"
number = "测试〔2026〕99号"
published = 2026-11-10
days_off = [
  { name = "元旦", start = 2027-01-01, end = 2027-01-03 },
  { name = "春节", start = 2027-02-05, end = 2027-02-13 },
  { name = "清明节", start = 2027-04-03, end = 2027-04-05 },
  { name = "劳动节", start = 2027-05-01, end = 2027-05-05 },
  { name = "端午节", start = 2027-06-09, end = 2027-06-09 },
  { name = "中秋节", start = 2027-09-15, end = 2027-09-15 },
  { name = "国庆节", start = 2027-10-01, end = 2027-10-07 },
]
working_weekend_days = [
  { date = 2027-01-09, name = "元旦" },
  { date = 2027-02-14, name = "春节" },
  { date = 2027-02-20, name = "春节" },
  { date = 2027-05-08, name = "劳动节" },
  { date = 2027-09-26, name = "国庆节" },
  { date = 2027-10-09, name = "国庆节" },
]
"""


def supplement(title: str, body: str, main: str = TITLE_2027) -> str:
    """A fictional supplementary notice of 2027 amending `main`."""
    return (
        f'\n[[notice]]\nyear = 2027\ntitle = "{title}"\npublished = 2026-12-01\n'
        f'supplements = "{main}"\n{body}\n'
    )
