"""Reading a notice file strictly (`rules.notice_file`): every mistake named by line and key."""

from __future__ import annotations

from datetime import date

import pytest

from rules.builtin import builtin_schedule_resource
from rules.notice_file import MAX_FILE_BYTES, NoticeFileError, parse_notice_file
from rules.notice_lines import Locator
from rules.schedule import parse_notices

HEAD = '[[notice]]\nyear = 2027\ntitle = "测试（虚构）"\n'


def test_the_shipped_file_reads_as_the_builtin_parser_reads_it() -> None:
    text = builtin_schedule_resource().read_text(encoding="utf-8")
    strict = parse_notice_file(text)
    assert [e.notice for e in strict.entries] == parse_notices(text)
    assert not strict.example and all(e.supplements is None for e in strict.entries)
    assert strict.entries[1].line == text.splitlines().index("[[notice]]", 30) + 1


def test_supplements_url_and_example_are_read() -> None:
    f = parse_notice_file(
        "example = true\n"
        + HEAD
        + 'url = "https://www.gov.cn/x"\nsupplements = "主通知"\n'
        + "working_weekend_days = [2027-01-09]\ncancelled_working_days = [2027-01-10]\n"
    )
    (e,) = f.entries
    assert f.example and e.supplements == "主通知" and e.url == "https://www.gov.cn/x"
    assert e.notice.working_days == ((date(2027, 1, 9), ""),)
    assert e.line == 2


BAD = [
    pytest.param("a = 1\na = 2\n[[notice]]\n", 2, "同一个键写了两次", id="duplicate-key"),
    pytest.param(
        HEAD + 'days_off = [{ name = "a", name = "b", start = 2027-01-01 }]\n',
        4,
        "同一个键写了两次",
        id="duplicate-key-inline",
    ),
    pytest.param(HEAD + "year = 2028\n", 4, "同一个键写了两次", id="duplicate-year"),
    pytest.param("[[notice]\nyear = ", 1, "表数组名缺少结尾的 ]]", id="broken-toml"),
    pytest.param("year = 2027\n=\n", 2, "无法识别的一行", id="no-key"),
    pytest.param(
        '[[notice]]\nyear = "2027"\ntitle = "x"\n', 2, "year：缺少年份或不是整数", id="year-string"
    ),
    pytest.param("[[notice]]\nyear = true\ntitle = 'x'\n", 2, "year", id="year-bool"),
    pytest.param("[[notice]]\nyear = 2027\ntitle = 5\n", 3, "title：应为字符串", id="title-int"),
    pytest.param("[[notice]]\nyear = 2027\n", 1, "缺少通知标题", id="no-title"),
    pytest.param(
        HEAD
        + "days_off = [\n  { name = 'a', start = 2027-01-01 },\n"
        + "  { name = 'b', start = '2027-02-05' },\n]\n",
        6,
        "days_off 第 2 项的 start：应为日期",
        id="date-as-string",
    ),
    pytest.param(
        HEAD + "days_off = [{ name = 'a', start = 2027-01-01T08:00:00 }]\n",
        4,
        "应为日期",
        id="datetime",
    ),
    pytest.param(
        HEAD + "days_off = [{ name = '劳动节', start = 2026-05-01, end = 2026-05-05 }]\n",
        4,
        "2026-05-01 不在 2027 年内",
        id="another-year",
    ),
    pytest.param(
        HEAD + "working_weekend_days = [2028-01-08]\n",
        4,
        "2028-01-08 不在 2027 年内",
        id="next-year",
    ),
    pytest.param(
        HEAD + "days_off = [{ name = 'a', start = 2027-01-05, end = 2027-01-04 }]\n",
        4,
        "结束日期 2027-01-04 早于开始日期 2027-01-05",
        id="end-before-start",
    ),
    pytest.param(
        HEAD + "days_off = [\n { name = 'a', start = 2027-01-01, end = 2027-01-03 },\n"
        " { name = 'b', start = 2027-01-03 },\n]\n",
        6,
        "2027-01-03 已在第 1 项中",
        id="overlapping-ranges",
    ),
    pytest.param(
        HEAD + "days_off = [{ name = 'a', start = 2027-02-06 }]\n"
        "working_weekend_days = [2027-02-06]\n",
        5,
        "同时列为放假",
        id="off-and-working",
    ),
    pytest.param(
        HEAD + "working_weekend_days = [2027-01-09, 2027-01-06]\n",
        4,
        "2027-01-06 是星期三：调休上班日只能是星期六或星期日",
        id="makeup-on-wednesday",
    ),
    pytest.param(HEAD + "days-off = []\n", 4, "days-off：未知的键", id="unknown-key"),
    pytest.param(
        HEAD + "days_off = [{ name = 'a', begin = 2027-01-01 }]\n",
        4,
        "未知的键 begin",
        id="unknown-subkey",
    ),
    pytest.param(
        '[[notice]]\nyear = 2027\ntitle = "a\\u001b[31m"\n', 3, "控制字符", id="escape-sequence"
    ),
    pytest.param(HEAD + "days_off = 'none'\n", 4, "应为数组", id="not-an-array"),
    pytest.param(
        HEAD + "working_weekend_days = [" + ", ".join(["2027-02-06"] * 41) + "]\n",
        4,
        "项数过多",
        id="too-many-items",
    ),
    pytest.param(
        "example = 'yes'\n" + HEAD, 1, "example：应为 true 或 false", id="example-not-bool"
    ),
    pytest.param(HEAD + HEAD, 6, "与第 1 个通知标题相同", id="same-title-twice"),
    pytest.param("title = 'x'\n", 1, "未知的键 title", id="top-level-key"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), BAD)
def test_bad_files_are_refused_with_line_and_key(text: str, line: int, fragment: str) -> None:
    with pytest.raises(NoticeFileError) as info:
        parse_notice_file(text)
    assert info.value.line == line, str(info.value)
    assert fragment in str(info.value)
    assert str(info.value).startswith(f"第 {line} 行")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x = [" * 3000 + "]" * 3000,
        "# comment only\n",
        HEAD + "# " + "长" * MAX_FILE_BYTES,
        "[[notice]]\n" * 13,
    ],
    ids=["empty", "deeply-nested", "no-notice", "huge", "too-many-notices"],
)
def test_files_that_are_not_notices(text: str) -> None:
    with pytest.raises(NoticeFileError) as info:
        parse_notice_file(text)
    assert "Traceback" not in str(info.value) and str(info.value)


def test_item_lines_skip_strings_and_comments() -> None:
    text = (
        "[[notice]]\nyear = 2027\n"
        "days_off = [ # a comment with , and {\n"
        '  { name = "逗号, 括号 ] {", start = 2027-01-01 },\n'
        "\n"
        "  { name = 'b', start = 2027-01-02 }, { name = 'c', start = 2027-01-03 },\n"
        "]\n"
    )
    where = Locator(text)
    assert [where.item(0, "days_off", i) for i in range(4)] == [4, 6, 6, None]


def test_every_mistake_of_a_file_is_named_at_once() -> None:
    """A clerk typing in a notice learns of all its mistakes in one check, each by line."""
    text = (
        HEAD
        + "days_off = [\n"
        + "  { name = '元旦', start = 2027-01-01, end = 2027-01-03 },\n"
        + "  { name = '端午节', start = 2027-06-09, end = 2027-06-08 },\n"
        + "]\n"
        + "working_weekend_days = [2027-05-12, 2027-01-02]\n"
        + "[[notice]]\nyear = 2028\ntitle = 7\n"
    )
    with pytest.raises(NoticeFileError) as info:
        parse_notice_file(text)
    message = str(info.value)
    assert message.startswith("共 4 处有误，均未载入：第 6 行，第 1 个通知 days_off 第 2 项")
    assert "第 8 行，第 1 个通知 working_weekend_days 第 1 项：2027-05-12 是星期三" in message
    assert "working_weekend_days 第 2 项：2027-01-02 同时列为放假（days_off 第 1 项）" in message
    assert message.endswith("第 11 行，第 2 个通知 title：应为字符串（加引号）")
