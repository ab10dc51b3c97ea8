"""`disclosure platform-import FILE`: the platform's export, its own column names, each row
registered once, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.api.conftest import Api, application_body

HEADER = ["平台编号", "提交日期", "申请人", "申请人类型", "申请内容", "联系电话", "主办部门"]
ROWS = [
    ["PT-001", "2026-03-02", "张三", "自然人", "2025年水质报告", "13800000000", "hbc"],
    ["PT-002", "2026-03-03", "某公司", "商业企业", "排污许可证", "", ""],
]


def _xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _listed(cli) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    r = cli("list", "--json", "--today", "2026-03-05")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_import_registers_each_row_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export = _xlsx(tmp_path / "export.xlsx", HEADER, ROWS)
    r = cli("platform-import", str(export), "--today", "2026-03-05")
    assert r.exit_code == 0, r.stderr
    assert "已登记 2 件" in r.stdout
    rows = {x["applicant"]: x for x in _listed(cli)}
    # Received Monday 2026-03-02: the 20th working day after it is 2026-03-30 (no holiday).
    assert rows["张三"]["reply_due"] == "2026-03-30" and rows["张三"]["department"] == "hbc"
    assert rows["某公司"]["applicant_type"] == "business" and rows["某公司"]["channel"] == "online"
    again = cli("platform-import", str(export), "--today", "2026-03-05")
    assert again.exit_code == 0 and "跳过 2 件" in again.stdout
    assert len(_listed(cli)) == 2


def test_a_bad_row_imports_nothing_and_names_row_and_column(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = [*ROWS, ["PT-003", "2026-03-09", "李四", "外星人", "某文件", "", "nope"]]
    export = _xlsx(tmp_path / "bad.xlsx", HEADER, [*bad, ["PT-001", *ROWS[0][1:]]])
    r = cli("platform-import", str(export), "--today", "2026-03-05")
    assert r.exit_code == 2
    assert "第 4 行「申请人类型」" in r.stderr  # the first problem of row 4 is reported
    assert "第 5 行「平台编号」：与第 2 行重复" in r.stderr
    assert _listed(cli) == []


def test_a_wrong_phone_names_its_column_and_imports_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = [*ROWS, ["PT-003", "2026-03-03", "李四", "自然人", "某文件", "138001380001", ""]]
    r = cli("platform-import", str(_xlsx(tmp_path / "bad.xlsx", HEADER, bad)),
            "--today", "2026-03-05")  # fmt: skip
    assert r.exit_code == 2
    assert "第 4 行「联系电话」" in r.stderr and "手机号码应为 11 位" in r.stderr
    assert _listed(cli) == []


def test_own_column_names_from_a_mapping_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = ["编号", "收件日", "姓名", "类型", "内容"]
    export = _xlsx(tmp_path / "own.xlsx", header, [["X-1", "2026-03-02", "王五", "自然人", "某"]])
    mapping = tmp_path / "columns.json"
    mapping.write_text(
        json.dumps(
            {
                "external_ref": "编号",
                "received": "收件日",
                "applicant": "姓名",
                "applicant_type": "类型",
                "content": "内容",
            }
        ),
        encoding="utf-8",
    )
    plain = cli("platform-import", str(export), "--today", "2026-03-05")
    assert plain.exit_code == 2 and "缺少列" in plain.stderr
    r = cli("platform-import", str(export), "--columns", str(mapping), "--today", "2026-03-05")
    assert r.exit_code == 0, r.stderr
    assert [x["applicant"] for x in _listed(cli)] == ["王五"]


def test_a_reference_pushed_through_the_api_is_not_imported_again(  # type: ignore[no-untyped-def]
    api: Api, cli, tmp_path: Path
) -> None:
    pushed = api.as_("platform").post("/applications", json=application_body(external_ref="PT-001"))
    assert pushed.status_code == 201
    export = _xlsx(tmp_path / "export.xlsx", HEADER, ROWS)
    r = cli("platform-import", str(export), "--today", "2026-03-05")
    assert r.exit_code == 0 and "已登记 1 件" in r.stdout and "跳过 1 件" in r.stdout


PLATFORM_HEADER = ["申请流水号", "申请时间", "申请人", "申请人类型", "申请内容", "手机"]
PLATFORM_ROWS = [
    ["GD-1", "2026-03-02", "张三", "自然人", "2025年水质报告", "13800000000"],
    ["GD-2", "2026-03-03", "某公司", "商业企业", "排污许可证", ""],
]
MAPPING = (
    '\n[platform]\nsource = "platform"\n\n[platform.columns]\n'
    'external_ref = "申请流水号"\nreceived = "申请时间"\nphone = "手机"\n'
)


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    lines = [",".join(header), *(",".join(str(c) for c in r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _configure(tmp_path: Path, extra: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_import_source_platform_uses_the_configured_column_names(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    export = _csv(tmp_path / "export.csv", PLATFORM_HEADER, PLATFORM_ROWS)
    plain = cli("import", str(export), "--source", "platform", "--today", "2026-03-05")
    assert plain.exit_code == 2 and "缺少列" in plain.stderr and "平台编号" in plain.stderr
    assert _listed(cli) == []
    _configure(tmp_path, MAPPING)
    r = cli("import", str(export), "--source", "platform", "--today", "2026-03-05", "--json")
    assert r.exit_code == 0, r.stderr
    report = json.loads(r.stdout)
    assert (report["rows"], report["imported"], report["skipped"]) == (2, 2, 0)
    rows = {x["applicant"]: x for x in _listed(cli)}
    assert rows["张三"]["reply_due"] == "2026-03-30"
    # The same export again (csv or the same rows as xlsx): de-duplicated by external_ref.
    again = _xlsx(tmp_path / "again.xlsx", PLATFORM_HEADER, PLATFORM_ROWS)
    r2 = cli("import", str(again), "--source", "platform", "--today", "2026-03-05")
    assert r2.exit_code == 0 and "已登记 0 件" in r2.stdout and "跳过 2 件" in r2.stdout
    # platform-import reads the same configuration.
    r3 = cli("platform-import", str(export), "--today", "2026-03-05")
    assert r3.exit_code == 0 and "跳过 2 件" in r3.stdout
    assert len(_listed(cli)) == 2


def test_import_source_platform_errors_name_the_column_and_write_nothing(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    _configure(tmp_path, MAPPING)
    bad = [*PLATFORM_ROWS, ["GD-3", "2026-13-01", "李四", "自然人", "某文件", ""]]
    export = _csv(tmp_path / "bad.csv", PLATFORM_HEADER, bad)
    r = cli("import", str(export), "--source", "platform", "--today", "2026-03-05")
    assert r.exit_code == 2
    assert "第 4 行「申请时间」" in r.stderr and "未导入任何申请" in r.stderr
    j = cli("import", str(export), "--source", "platform", "--today", "2026-03-05", "--json")
    assert j.exit_code == 2
    assert json.loads(j.stdout)["errors"][0]["column"] == "申请时间"
    assert _listed(cli) == []
    feb = _csv(
        tmp_path / "feb.csv",
        PLATFORM_HEADER,
        [*PLATFORM_ROWS[:1], ["GD-4", "2026-02-30", "李四", "自然人", "某文件", ""]],
    )
    r = cli("import", str(feb), "--source", "platform", "--today", "2026-03-05")
    assert r.exit_code == 2 and "没有这一天：2026-02-30" in r.stderr and "格式" not in r.stderr
    unknown = cli("import", str(export), "--source", "elsewhere")
    assert unknown.exit_code == 2 and "--source" in unknown.stderr


def test_an_unknown_configured_field_is_named(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _configure(tmp_path, '\n[platform.columns]\napplicant_name = "姓名"\n')
    export = _csv(tmp_path / "export.csv", PLATFORM_HEADER, PLATFORM_ROWS)
    r = cli("import", str(export), "--source", "platform", "--today", "2026-03-05")
    assert r.exit_code == 2
    assert "[platform.columns]" in r.stderr and "applicant_name" in r.stderr
    assert _listed(cli) == []
