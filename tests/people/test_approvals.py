"""The sign-off chain: draft → approvals → reply and letter; send-back; refusals (both DBs)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine, text
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import EventRecord
from disclosure.settings import SettingsError, load_settings
from tests.people.conftest import People


def rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row a sign-off or a letter may write, to show that a refusal wrote nothing."""
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
            for t in ("event", "letter", "counter", "application")
        }


def sheet_tables(path: Path) -> list[list[list[str]]]:
    doc = Document(BytesIO(path.read_bytes()))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_full_chain_then_reply_and_letter(people: People, required: None, engine, tmp_path):  # type: ignore[no-untyped-def]
    people.accounts()
    n = people.register()
    out = people.ok(
        "draft", n, "--outcome", "1", "--facts", "经查，该批复已制作", "--as", "handler"
    )
    assert out["remaining"] == ["department_head", "office_head", "leader"]
    before = rows(engine)
    # No reply and no 文号 before the last approval; the letter names who must still approve.
    err = people.fails("reply", n, "--outcome", "1", "--date", "2026-11-27", code=5)
    # 冯处长 heads another department (hbc): not named for this zcfg case.
    roles = "承办部门负责人（吴处长）、政府信息公开工作机构负责人（郑主任）、分管领导（王局长）"
    assert f"尚待 {roles} 审批" in err
    people.ok("approve", n, "--as", "dhead", "--comment", "同意")
    people.ok("approve", n, "--as", "ohead")
    mid = rows(engine)
    err = people.fails("letter", n, "--kind", "reply", "--outcome", "1", code=5)
    assert "尚待 分管领导（王局长） 审批" in err
    assert rows(engine) == mid and mid["letter"] == before["letter"] == []
    done = people.ok("approve", n, "--as", "boss", "--comment", "同意公开")
    assert done["approved"] is True and done["remaining"] == []
    assert [a["name"] for a in done["approvals"]] == ["吴处长", "郑主任", "王局长"]
    # A different outcome from the approved one is refused; the approved one goes through.
    err = people.fails("reply", n, "--outcome", "3.1", "--date", "2026-11-27", code=5)
    assert "审批同意的答复结果为 1" in err
    people.ok("reply", n, "--outcome", "1", "--date", "2026-11-27")
    r = _reply_letter(people, n)
    assert r.exit_code == 0, r.stderr
    # The sheet: the draft and each approval with display name and Beijing time (UTC+8).
    sheet = tmp_path / "sheet.docx"
    people.ok("approval-sheet", n, "--out", str(sheet), json_out=False)
    info, log = sheet_tables(sheet)
    assert ["拟办意见", "1 予以公开"] in [r[:2] for r in info] or any(
        r[0] == "拟办意见" and r[1].startswith("1 ") for r in info
    )
    with transaction(engine, write=False) as s:
        signed = s.exec(
            select(EventRecord).where(EventRecord.kind.in_(["drafted", "approved"]))  # type: ignore[attr-defined]
        ).all()
    expected = [
        (e.recorded_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
        for e in sorted(signed, key=lambda e: e.id or 0)
    ]
    assert [row[1] for row in log[1:]] == ["周承办", "吴处长", "郑主任", "王局长"]
    assert [row[0] for row in log[1:]] == [
        "承办人",
        "承办部门负责人",
        "政府信息公开工作机构负责人",
        "分管领导",
    ]
    assert [row[3] for row in log[1:]] == expected
    assert log[4][2] == "同意公开"  # the comment as written, not "同意：同意公开"
    assert log[2][2] == "同意"
    assert log[0] == ["环节", "姓名", "意见", "时间", "签名"] and len(log) == 5  # none to come
    assert all(row[4] == "" for row in log[1:])  # the signature column is left to sign by hand


def test_send_back_and_redraft_restart_the_chain(people: People, required: None, tmp_path):  # type: ignore[no-untyped-def]
    people.accounts()
    n = people.register()
    people.ok("draft", n, "--outcome", "3.1", "--as", "handler")
    people.ok("approve", n, "--as", "dhead")
    back = people.ok("send-back", n, "--as", "ohead", "--reason", "未说明不予公开的具体理由")
    assert back["status"] == "退回修改" and back["sent_back"]["name"] == "郑主任"
    assert "须重新拟办" in people.fails("approve", n, "--as", "boss", code=5)
    err = people.fails("letter", n, "--kind", "reply", "--outcome", "3.1", code=5)
    assert "已被郑主任退回（未说明不予公开的具体理由）" in err
    again = people.ok("draft", n, "--outcome", "1", "--as", "handler", "--reasons", "可以公开")
    # The earlier approval belonged to the earlier draft: the chain starts from the top.
    assert again["remaining"] == ["department_head", "office_head", "leader"]
    assert "现在应由承办部门负责人审批" in people.fails("approve", n, "--as", "ohead", code=5)
    for who in ("dhead", "ohead", "boss"):
        people.ok("approve", n, "--as", who)
    shown = people.ok("approvals", n)
    assert shown[0]["approved"] is True and shown[0]["outcome"] == "1"
    sheet = tmp_path / "sheet.docx"
    people.ok("approval-sheet", n, "--out", str(sheet), json_out=False)
    log = sheet_tables(sheet)[1]
    said = [row[2] for row in log[1:]]
    # the first draft and the approval it got no longer stand; the send-back is as said
    assert said[0].startswith("拟办：3.1 ") and said[0].endswith("（已作废：已重新拟办）")
    assert said[1] == "同意（已作废：已重新拟办）"
    assert said[2] == "退回：未说明不予公开的具体理由"
    assert said[3] == "拟办：1 予以公开" and "作废" not in "".join(said[3:])


def test_a_sheet_printed_mid_chain_has_lines_for_who_is_still_to_sign(  # type: ignore[no-untyped-def]
    people: People, tmp_path
):
    people.accounts()
    n = people.register()
    people.ok("draft", n, "--outcome", "1", "--as", "handler")
    people.ok("approve", n, "--as", "dhead")
    sheet = tmp_path / "mid.docx"
    people.ok("approval-sheet", n, "--out", str(sheet), json_out=False)
    log = sheet_tables(sheet)[1]
    assert [row[:2] for row in log[1:]] == [
        ["承办人", "周承办"],
        ["承办部门负责人", "吴处长"],
        ["政府信息公开工作机构负责人", ""],  # to sign by hand on the printed sheet
        ["分管领导", ""],
    ]
    rows = Document(BytesIO(sheet.read_bytes())).tables[1].rows
    assert all(r.height is not None and r.height.cm >= 1.0 for r in rows[1:])


def test_bad_sign_offs_are_refused_and_write_nothing(  # type: ignore[no-untyped-def]
    people: People, required: None, engine
):
    people.accounts()
    n = people.register()
    assert "尚无拟办意见" in people.fails("approve", n, "--as", "dhead", code=5)
    assert "--outcome" in people.fails("draft", n, "--outcome", "9.9", "--as", "handler", code=2)
    assert "--as" in people.fails("draft", n, "--outcome", "1", "--as", "nobody", code=4)
    people.ok("draft", n, "--outcome", "1", "--as", "dhead")
    before = rows(engine)
    err = people.fails("approve", n, "--as", "dhead", code=6)
    assert "--as" in err and "不能审批自己的拟办意见" in err
    err = people.fails("approve", n, "--as", "ohead", code=5)
    assert "尚未轮到政府信息公开工作机构负责人审批" in err
    assert "不是主办部门政策法规处的负责人" in people.fails(
        "approve", n, "--as", "other_head", code=6
    )
    assert "没有审批职责" in people.fails("approve", n, "--as", "handler", code=6)
    assert "--reason" in people.fails("send-back", n, "--as", "dhead", "--reason", " ", code=2)
    assert rows(engine) == before
    # A fresh draft by the handler; the department head approves once, not twice.
    people.ok("draft", n, "--outcome", "1", "--as", "handler")
    people.ok("approve", n, "--as", "dhead")
    before = rows(engine)
    assert "已审批过" in people.fails("approve", n, "--as", "dhead", code=5)
    assert rows(engine) == before


def test_the_drafter_may_approve_when_the_office_allows_it(  # type: ignore[no-untyped-def]
    people: People, required: None, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DISCLOSURE_APPROVAL__DRAFTER_MAY_APPROVE", "true")
    people.accounts()
    n = people.register()
    people.ok("draft", n, "--outcome", "1", "--as", "dhead")
    assert people.ok("approve", n, "--as", "dhead")["remaining"] == ["office_head", "leader"]


def test_without_required_approval_replies_go_out_as_before(people: People):  # type: ignore[no-untyped-def]
    n = people.register()
    people.ok("reply", n, "--outcome", "1", "--date", "2026-11-27")
    r = _reply_letter(people, n)
    assert r.exit_code == 0, r.stderr


def test_extension_notice_waits_for_the_office_head(  # type: ignore[no-untyped-def]
    people: People, required: None, engine
):
    people.accounts()
    n = people.register()
    ext = ("letter", n, "--kind", "extension", "--days", "10", "--approver", "郑主任")
    assert "延期答复须经审批：尚无拟办意见" in people.fails(*ext, code=5)
    out = people.ok(
        "draft", n, "--days", "10", "--facts", "涉及第三方，需征求意见", "--as", "handler"
    )
    assert out["purpose"] == "extension" and out["remaining"] == ["office_head"]
    before = rows(engine)
    assert "尚待 政府信息公开工作机构负责人（郑主任） 审批" in people.fails(*ext, code=5)
    assert rows(engine) == before  # the extension step recorded by the letter rolled back
    assert "--days" in people.fails("draft", n, "--days", "21", "--as", "handler", code=2)
    err = people.fails("extend", n, "--days", "10", "--approver", "郑主任", "--date", "2026-11-27")
    assert "延期答复尚未审批完毕" in err  # the step itself waits too
    people.ok("approve", n, "--as", "ohead", "--for", "extension")
    err = people.fails("letter", n, "--kind", "extension", "--days", "5", "--approver", "郑主任")
    assert "审批同意延长 10 个工作日" in err
    r = people.run(*ext, "--today", "2026-11-27", "--json")
    assert r.exit_code == 0, r.stderr
    assert "已延长过答复期限" in people.fails("draft", n, "--days", "5", "--as", "handler")


def test_chain_settings_are_checked_and_vary_by_case_type() -> None:
    s = load_settings(None, approval={"case_types": {"already_public": ["office_head"]}})
    assert s.approval.chain_for("already_public") == ["office_head"]
    assert s.approval.chain_for("") == ["department_head", "office_head", "leader"]
    with pytest.raises(SettingsError, match=r"approval\.chain"):
        load_settings(None, approval={"chain": ["office_head", "mayor"]})
    with pytest.raises(SettingsError, match=r"approval\.chain"):
        load_settings(None, approval={"chain": ["leader", "leader"]})


def _reply_letter(people: People, n: str):  # type: ignore[no-untyped-def]
    """The letter of a reply of outcome 1 (现予公开) recorded on 2026-11-27."""
    letter = ("letter", n, "--kind", "reply", "--variant", "disclosed_now")
    return people.run(*letter, "--today", "2026-11-27", "--json")


def test_the_extension_step_takes_its_approver_and_reasons_from_the_sign_off(  # type: ignore[no-untyped-def]
    people: People, required: None, engine
):
    """With sign-off on, 批准人 must be the head who approved (not free text that contradicts
    the record), and the draft's reasons become the notice's 延期理由 when none is written."""
    people.accounts()
    n = people.register()
    people.ok("draft", n, "--days", "10", "--facts", "涉及第三方，需征求意见", "--as", "handler")
    people.ok("approve", n, "--as", "ohead", "--for", "extension")
    before = rows(engine)
    err = people.fails("extend", n, "--days", "10", "--approver", "张三", "--date", "2026-11-27")
    assert "批准人应为审批同意延期的 郑主任，与审批记录一致" in err
    assert rows(engine) == before
    people.ok("extend", n, "--days", "10", "--approver", "郑主任", "--date", "2026-11-27")
    with transaction(engine, write=False) as s:
        ext = s.exec(select(EventRecord).where(EventRecord.kind == "extension_granted")).one()
    assert (ext.approver, ext.note) == ("郑主任", "涉及第三方，需征求意见")
    out = people.run("letter", n, "--kind", "extension", "--today", "2026-11-27", "--json")
    assert out.exit_code == 0, out.stderr
    doc = Document(json.loads(out.stdout)["docx"])
    assert "因涉及第三方，需征求意见，" in "".join(p.text for p in doc.paragraphs)
