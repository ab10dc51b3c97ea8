"""The applicant register: checked numbers, one applicant per key, the month's count for
the per-item fee, possible duplicates, and `applicant show` (both databases)."""

from __future__ import annotations

import json

from sqlalchemy import Engine, text

from disclosure.people.applicants import similarity
from disclosure.people.id_documents import check_id_number
from tests.people.conftest import People

ID = "110101199001011237"  # check digit 7 (GB 11643): a valid resident ID
ID_BAD = "110101199001011234"  # the same with a wrong check digit
CODE = "91110000600037341L"
CODE_BAD = "91110000600037341A"
REQUEST = "请公开2025年某项目环境影响评价批复"


def table_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
            for t in ("applicant", "application", "event", "counter")
        }


def reg(people: People, *extra: str, content: str = REQUEST, received: str = "2026-11-02") -> dict:  # type: ignore[type-arg]
    return people.ok(  # type: ignore[no-any-return]
        "register", "--channel", "in_person", "--applicant-type", "natural",
        "--content", content, "--received", received, *extra,
    )  # fmt: skip


def test_bad_numbers_are_refused_and_write_nothing(people: People, engine: Engine) -> None:
    before = table_rows(engine)
    base = ("register", "--channel", "in_person", "--applicant", "张三", "--applicant-type")
    err = people.fails(*base, "natural", "--content", REQUEST, "--received", "2026-11-02",
                       "--id-number", ID_BAD, code=2)  # fmt: skip
    assert "--id-number" in err and "校验码" in err
    err = people.fails(*base, "business", "--content", REQUEST, "--received", "2026-11-02",
                       "--credit-code", CODE_BAD, code=2)  # fmt: skip
    assert "--credit-code" in err and "统一社会信用代码无效" in err
    assert table_rows(engine) == before


def test_one_applicant_per_key_and_the_show_masks_the_id(people: People) -> None:
    a = reg(people, "--applicant", "张三", "--id-number", ID)
    b = reg(people, "--applicant", "张 三", "--id-number", ID, content="请公开某河道整治资金")
    c = reg(people, "--applicant", "张三", "--phone", "138-0013-8000", content="请公开某规划")
    d = reg(people, "--applicant", "张三", "--phone", "13800138000", content="请公开某规划图")
    org1 = reg(people, "--applicant", "某公司", "--credit-code", CODE.lower(), content="甲")
    org2 = reg(people, "--applicant", "某有限公司", "--credit-code", CODE, content="乙")
    out = people.ok("applicant", "show", a["number"])
    assert [x["number"] for x in out["applications"]] == [a["number"], b["number"]]
    assert out["id_number_masked"] == "1101**********1237" and ID not in json.dumps(out)
    assert out["key_kind"] == "id_number"
    by_phone = people.ok("applicant", "show", c["number"])
    assert [x["number"] for x in by_phone["applications"]] == [c["number"], d["number"]]
    org = people.ok("applicant", "show", CODE)
    assert [x["number"] for x in org["applications"]] == [org1["number"], org2["number"]]
    assert org["name"] == "某公司"  # the first registration's name is kept
    shown = people.ok("applicant", "show", ID, json_out=False)
    assert ID not in shown and "1101**********1237" in shown
    assert "没有与 2026-99999 对应的申请人" in people.fails(
        "applicant", "show", "2026-99999", code=4
    )


def test_reworded_request_is_listed_as_a_possible_duplicate(people: People) -> None:
    first = reg(people, "--applicant", "张三", "--id-number", ID)
    people.ok("reply", first["number"], "--outcome", "1", "--date", "2026-11-20")
    # Another person asking the same thing is no duplicate; nor is the same person's
    # different request (they share "2025年某项目" only).
    other = reg(people, "--applicant", "李四", "--id-number", "11010519491231002X")
    assert other["possible_duplicates"] == []
    unlike = reg(people, "--applicant", "张三", "--id-number", ID,
                 content="请公开2025年某项目的排污许可证")  # fmt: skip
    assert unlike["possible_duplicates"] == []
    again = reg(people, "--applicant", "张三", "--id-number", ID,
                content="申请公开某项目2025年度的环境影响评价批复文件")  # fmt: skip
    assert [
        (d["number"], d["outcome"], d["received_on"]) for d in again["possible_duplicates"]
    ] == [(first["number"], "1", "2026-11-02")]
    r = people.run(
        "register", "--channel", "in_person", "--applicant-type", "natural", "--applicant", "张三",
        "--id-number", ID, "--content", "请提供某项目环境影响评价批复（2025年）",
        "--received", "2026-11-02", "--today", "2026-11-27",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert f"相似的申请 {first['number']}" in r.stderr and "已答复：1" in r.stderr
    assert "人工判断" in r.stderr


def test_the_eleventh_application_of_a_month_pays_100_yuan(people: People, tmp_path) -> None:  # type: ignore[no-untyped-def]
    who = ("--applicant", "某公司", "--credit-code", CODE)
    # One in October: another calendar month, not counted for November (Fees art. 5(1)).
    reg(people, *who, "--applicant-type", "business", content="十月的申请", received="2026-10-30")
    numbers = [
        reg(people, *who, "--applicant-type", "business", content=f"第{i}件：某项目资料{i}",
            received=f"2026-11-{2 + i:02d}")["number"]
        for i in range(11)
    ]  # fmt: skip
    assert reg(people, *who, content="x", received="2026-11-20")["applicant_month_nth"] == 12
    tenth, eleventh = numbers[9], numbers[10]
    err = people.fails("fee-notice", tenth, "--date", "2026-11-27", code=2)
    assert "本月第 10 件" in err and "无需收费" in err
    out = people.ok("fee-notice", eleventh, "--date", "2026-11-27")
    assert out["number"] == eleventh
    show = people.ok("show", eleventh)
    fee = [e for e in show["timeline"] if e["kind"] == "fee_notice_sent"]
    assert len(fee) == 1
    r = people.run("letter", numbers[10], "--kind", "fee", "--today", "2026-11-27",
                   "--out", str(tmp_path / "fee.docx"))  # fmt: skip
    assert r.exit_code == 0, r.stderr
    from tests.letters.conftest import docx_text

    letter = docx_text((tmp_path / "fee.docx").read_bytes())
    assert "本月第11件申请，每件100元" in letter
    # The letter alone (no step recorded yet) counts the same way.
    r = people.run("letter", numbers[9], "--kind", "fee", "--today", "2026-11-27")
    assert r.exit_code != 0 and "无需收费" in r.stderr


def test_unidentified_applicants_need_the_clerks_count(people: People) -> None:
    n = reg(people, "--applicant", "王五")["number"]
    assert "无法识别申请人" in people.fails("fee-notice", n, "--date", "2026-11-27", code=2)
    people.ok("fee-notice", n, "--date", "2026-11-27", "--amount", "100")


def test_similarity_and_id_normalisation() -> None:
    assert similarity(REQUEST, "申请公开某项目2025年度的环境影响评价批复文件") >= 80
    assert similarity(REQUEST, "请公开2024年某区大气污染防治资金使用情况") < 80
    assert check_id_number("11010519491231002x") == "11010519491231002X"
    assert check_id_number("E12345678") == "E12345678"  # a passport passes as written


def test_the_clerks_duplicate_decision_is_an_event(people: People, engine: Engine) -> None:
    first = reg(people, "--applicant", "张三", "--id-number", ID)["number"]
    second = reg(people, "--applicant", "张三", "--id-number", ID)["number"]
    before = table_rows(engine)
    assert "--earlier" in people.fails("duplicate", second, "--earlier", "2026-99999",
                                       "--repeated", code=4)  # fmt: skip
    assert "另一件申请" in people.fails("duplicate", second, "--earlier", second, "--repeated")
    assert table_rows(engine) == before
    r = people.run("duplicate", second, "--earlier", first, "--repeated", "--note", "内容相同",
                   "--today", "2026-11-27")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    last = people.ok("show", second)["timeline"][-1]
    assert (last["kind"], last["label"], last["party"], last["note"]) == (
        "duplicate_decided",
        "重复申请核查",
        first,
        "内容相同",
    )


def test_an_unidentified_applicant_is_compared_by_name_and_says_so(people: People) -> None:
    """No ID, code or phone: the earlier request of the same name is named, as a name match."""
    first = reg(people, "--applicant", "王小二")
    again = reg(people, "--applicant", "王小二")
    assert [(d["number"], d["matched_by"]) for d in again["possible_duplicates"]] == [
        (first["number"], "name")
    ]
    assert reg(people, "--applicant", "王小三")["possible_duplicates"] == []
    r = people.run(
        "register", "--channel", "in_person", "--applicant-type", "natural", "--applicant",
        "王小二", "--content", REQUEST, "--received", "2026-11-02", "--today", "2026-11-27",
    )  # fmt: skip
    assert (
        "注意：同名申请人（未登记证件号码、统一社会信用代码或电话，无法确认是否同一人）" in r.stderr
    )
