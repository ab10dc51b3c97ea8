"""Departments an admin keeps: edit, retire, reactivate (issue 16, item 1), CLI and web."""

from __future__ import annotations

import json


def test_cli_edits_retires_and_reactivates_a_department(cli):  # type: ignore[no-untyped-def]
    assert cli("department", "add", "--code", "tmp", "--name", "临时处").exit_code == 0
    r = cli("department", "edit", "tmp", "--contact", "李四", "--phone", "0571-８７６５４３２１")
    assert r.exit_code == 0, r.stderr
    assert "联系人：（空） → 李四" in r.stdout
    listed = cli("department", "list", "--json")
    [row] = [d for d in json.loads(listed.stdout) if d["code"] == "tmp"]
    assert row["contact"] == "李四" and row["phone"] == "0571-87654321" and row["active"] is True
    assert cli("department", "retire", "tmp").exit_code == 0
    again = cli("department", "retire", "tmp")
    assert again.exit_code != 0 and "已停用" in again.stderr
    r = cli(
        "register", "--channel", "in_person", "--applicant", "张三", "--applicant-type",
        "natural", "--content", "某报告", "--received", "2026-03-02", "--department", "tmp",
    )  # fmt: skip
    assert r.exit_code != 0 and "已停用" in r.stderr and "--department" in r.stderr
    assert cli("department", "reactivate", "tmp").exit_code == 0


def test_cli_refuses_what_would_be_undone_or_lost(cli):  # type: ignore[no-untyped-def]
    r = cli("department", "edit", "zcfg", "--name", "法规处")  # named in config.toml
    assert r.exit_code != 0 and "config.toml" in r.stderr
    assert cli("department", "edit", "nosuch", "--name", "x").exit_code != 0
    assert "至少指定一项" in cli("department", "edit", "zcfg").stderr
    r = cli(
        "register", "--channel", "in_person", "--applicant", "张三", "--applicant-type",
        "natural", "--content", "某报告", "--received", "2026-03-02", "--department", "zcfg",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = cli("department", "retire", "zcfg")  # it leads an open case
    assert r.exit_code != 0 and "1 件办理中的申请" in r.stderr


def test_an_edit_keeps_names_their_own_and_e_mails_well_formed(cli):  # type: ignore[no-untyped-def]
    assert cli("department", "add", "--code", "tmp", "--name", "临时处").exit_code == 0
    r = cli("department", "edit", "tmp", "--name", "环境保护处")
    assert r.exit_code == 2 and "已有名为 环境保护处 的部门（代码 hbc）" in r.stderr
    r = cli("department", "edit", "tmp", "--email", "not-an-address")
    assert r.exit_code == 2 and "电子邮箱格式不正确" in r.stderr
    r = cli("department", "edit", "tmp", "--phone", "12345")  # too few digits
    assert r.exit_code == 2 and "--phone" in r.stderr and "不是有效的电话号码" in r.stderr
    r = cli("department", "add", "--code", "tmp2", "--name", "临时二处", "--phone", "分机")
    assert r.exit_code == 2 and "--phone" in r.stderr
    listed = json.loads(cli("department", "list", "--json").stdout)
    [row] = [d for d in listed if d["code"] == "tmp"]
    assert row["name"] == "临时处" and row["email"] == "" and row["phone"] == ""  # unwritten
    assert "tmp2" not in [d["code"] for d in listed]
    assert cli("department", "edit", "tmp", "--name", "临时处二").exit_code == 0
