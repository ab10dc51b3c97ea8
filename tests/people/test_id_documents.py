"""Document numbers by the document the applicant type implies (disclosure/people/id_documents.py):
a person's resident ID, an organisation's credit code, other documents' sanity; every edge
through the registration schema, naming --id-number, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from stdnum.cn import ric

from disclosure.errors import InvalidInput
from disclosure.people.id_documents import check_credit_code, check_id_number
from tests.people.conftest import People
from tests.people.test_applicants import CODE, CODE_BAD, ID, ID_BAD, reg, table_rows


def _with_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (ID, ID),
        ("11010519491231002x", "11010519491231002X"),
        ("110101 19900101 1237", ID),  # spaces and hyphens of a resident ID are dropped
        (_with_check("81000019900101123"), _with_check("81000019900101123")),  # HK permit
        (_with_check("83000019900101123"), _with_check("83000019900101123")),  # TW permit
        (_with_check("91100019900101123"), _with_check("91100019900101123")),  # foreigner 2023
        ("E12345678", "E12345678"),  # a passport, kept as written
        ("A123456(7)", "A123456(7)"),  # a Hong Kong identity card
        # 通州区's code dates from 1997; a person born in 1980 registered there holds it
        (_with_check("11011219800101123"), _with_check("11011219800101123")),
    ],
)
def test_a_persons_documents(value: str, stored: str) -> None:
    assert check_id_number(value, natural=True) == stored


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (ID_BAD, "校验码不符"),
        ("11010119900101123A", "最后一位应为数字或 X"),
        (_with_check("11010119901301123"), "出生日期 19901301 不存在"),
        (_with_check("99999919900101123"), "县级行政区划代码"),
        ("123", "过短"),
        ("E" * 31, "过长"),
        ("护照E1234567", "只能包含字母、数字"),
        ("E1234567;", "只能包含字母、数字"),
    ],
)
def test_a_persons_wrong_numbers(value: str, words: str) -> None:
    with pytest.raises(InvalidInput) as e:
        check_id_number(value, natural=True)
    assert e.value.field == "id_number" and words in e.value.message


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (CODE, CODE),
        (CODE.lower(), CODE),
        ("9111 0000 6000 3734 1L", CODE),
        (ID, ID),  # the legal representative's resident ID
        ("60003734-1", "60003734-1"),  # an organisation code from before 2015
    ],
)
def test_an_organisations_documents(value: str, stored: str) -> None:
    assert check_id_number(value, natural=False) == stored


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (CODE_BAD, "统一社会信用代码无效"),
        ("91110000600037341I", "统一社会信用代码无效"),  # I is no character of the code
        (ID_BAD, "统一社会信用代码或居民身份证号码无效"),
        ("1234", "过短"),
    ],
)
def test_an_organisations_wrong_numbers(value: str, words: str) -> None:
    with pytest.raises(InvalidInput) as e:
        check_id_number(value, natural=False)
    assert e.value.field == "id_number" and words in e.value.message


def test_the_credit_code_field() -> None:
    assert check_credit_code(CODE.lower()) == CODE and check_credit_code(" ") == ""
    with pytest.raises(InvalidInput) as e:
        check_credit_code(CODE_BAD)
    assert e.value.field == "credit_code"


@pytest.mark.parametrize(
    ("kind", "value", "words"),
    [
        ("natural", "123", "证件号码过短"),
        ("natural", "11010119900101123A", "最后一位"),
        ("business", CODE_BAD, "统一社会信用代码无效"),
        ("research", "E1234567;", "只能包含"),
    ],
)
def test_register_refuses_by_the_applicant_type_and_writes_nothing(
    people: People, engine: Engine, kind: str, value: str, words: str
) -> None:
    before = table_rows(engine)
    err = people.fails(
        "register", "--channel", "in_person", "--applicant", "某某", "--applicant-type", kind,
        "--content", "请公开某规划", "--received", "2026-11-02", "--id-number", value, code=2,
    )  # fmt: skip
    assert "--id-number" in err and words in err
    assert table_rows(engine) == before


def test_an_organisations_credit_code_as_its_document_number_is_its_key(
    people: People,
) -> None:
    """The web form and the API have one document field: the same organisation registered
    there and with --credit-code is one applicant."""
    a = reg(people, "--applicant", "某公司", "--applicant-type", "business", "--id-number", CODE)
    b = reg(people, "--applicant", "某公司", "--applicant-type", "business", "--credit-code",
            CODE, content="请公开另一规划")  # fmt: skip
    org = people.ok("applicant", "show", CODE)
    assert org["key_kind"] == "credit_code"
    assert [x["number"] for x in org["applications"]] == [a["number"], b["number"]]
