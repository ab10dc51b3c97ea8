"""Ledger export → import round trip, and rejected files that leave the database untouched."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from disclosure.report.ledger_columns import COLUMNS

LIST_TODAY = "2026-03-02"
HEADERS = [c.header for c in COLUMNS]


@pytest.fixture
def varied_register(reg):  # type: ignore[no-untyped-def]
    """Applications exercising every ledger column that carries history."""
    a = reg.app("natural", "2025-03-03", id_number="110101199001011237", department="zcfg",
                cooperating=["hbc"], phone="13800000000", email="a@example.com")  # fmt: skip
    reg.event(a, "extension_granted", "2025-03-20", days=10, approver="李四")
    reg.reply(a, "3.1", "2025-04-10")
    b = reg.app("business", "2025-04-01", department="hbc")
    reg.event(b, "correction_requested", "2025-04-03")
    reg.event(b, "correction_received", "2025-04-10")
    reg.event(b, "fee_notice_sent", "2025-04-15", amount_yuan=300)
    reg.event(b, "fee_paid", "2025-04-22")
    reg.reply(b, "2", "2025-05-20")
    c = reg.app("research", "2025-05-06")
    reg.event(c, "correction_requested", "2025-05-08")
    reg.reply(c, "6.1", "2025-06-30")
    reg.app("other", None, arrived="2025-12-30", channel="online")  # unconfirmed
    reg.app("legal_services", "2026-01-05")  # open
    d = reg.app("public_interest", "2025-06-02")
    reg.reply(d, "6.3", "2025-06-05")


def _use(monkeypatch, url: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DISCLOSURE_DATABASE__URL", url)


def _register_view(cli) -> list[dict]:  # type: ignore[no-untyped-def]
    r = cli("list", "--today", LIST_TODAY, "--json")
    assert r.exit_code == 0, r.stderr
    return sorted(json.loads(r.stdout), key=lambda x: x["number"])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_import_round_trip(cli, varied_register, fresh_url, monkeypatch, tmp_path, suffix):  # type: ignore[no-untyped-def]
    path = tmp_path / f"ledger{suffix}"
    r = cli("export", "--out", str(path), "--admin", "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stderr
    before = _register_view(cli)
    details_before = [
        json.loads(cli("show", x["number"], "--json", "--today", LIST_TODAY).stdout)[
            "id_number_masked"
        ]
        for x in before
    ]
    _use(monkeypatch, fresh_url)
    assert _register_view(cli) == []
    r = cli("import", str(path), "--dry-run", "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    assert _register_view(cli) == []  # dry run wrote nothing
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    after = _register_view(cli)
    assert len(after) == 6
    assert after == before
    assert [
        json.loads(cli("show", x["number"], "--json", "--today", LIST_TODAY).stdout)[
            "id_number_masked"
        ]
        for x in after
    ] == details_before
    again = tmp_path / f"again{suffix}"
    assert cli("export", "--out", str(again), "--admin", "--today", LIST_TODAY).exit_code == 0
    if suffix == ".csv":
        assert again.read_text(encoding="utf-8-sig") == path.read_text(encoding="utf-8-sig")
    # The counter moved past the imported numbers: the next 2025 number is new.
    r = cli("register", "--channel", "in_person", "--received", "2025-12-31", "--applicant",
            "新", "--applicant-type", "natural", "--content", "x", "--today", LIST_TODAY,
            "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["number"] == "2025-00006"


def test_xlsx_is_ready_to_print(cli, varied_register, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "ledger.xlsx"
    assert cli("export", "--out", str(path), "--today", LIST_TODAY).exit_code == 0
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb.active
        header = [c.value for c in ws[1]]
        assert "证件号码" not in header  # only in an admin export
        assert header[:4] == ["登记编号", "提交方式", "送达日期", "收到日期"]
        assert ws.freeze_panes == "B2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"
        content_col = get_column_letter(header.index("申请内容") + 1)
        assert ws.column_dimensions[content_col].width == 40
        received = ws.cell(2, header.index("收到日期") + 1)
        assert received.is_date and received.number_format == "yyyy-mm-dd"
        assert received.value.date().isoformat() == "2025-03-03"
        row = {h: ws.cell(2, i + 1).value for i, h in enumerate(header)}
        assert (row["主办部门"], row["协办部门"]) == ("政策法规处", "环境保护处")
        assert (row["结果代码"], row["是否按期"], row["延期工作日数"]) == ("3.1", "是", 10)
        assert not any("110101199001011237" in str(c.value) for r in ws.iter_rows() for c in r)
    finally:
        wb.close()
    admin = tmp_path / "admin.csv"
    assert cli("export", "--out", str(admin), "--admin", "--today", LIST_TODAY).exit_code == 0
    assert "110101199001011237" in admin.read_text(encoding="utf-8-sig")


def _row(**values: str) -> list[str]:
    base = {
        "登记编号": "2025-00001",
        "提交方式": "当面提交",
        "收到日期": "2025-03-03",
        "申请人": "张三",
        "申请人类型": "自然人",
        "申请内容": "请公开",
    }
    base.update(values)
    return [base.get(h, "") for h in HEADERS]


def _write_csv(path: Path, rows: list[list[str]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


def _errors(cli, path: Path) -> set[tuple[int, str]]:  # type: ignore[no-untyped-def]
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code != 0
    report = json.loads(r.stdout)
    assert report["imported"] == 0
    assert _register_view(cli) == []  # nothing written, not even the good rows
    return {(e["row"], e["column"]) for e in report["errors"]}


def test_wrong_headers_rejected(cli, tmp_path):  # type: ignore[no-untyped-def]
    headers = [h for h in HEADERS if h != "申请内容"] + ["备注栏"]
    path = _write_csv(tmp_path / "h.csv", [_row()], headers)
    assert _errors(cli, path) == {(1, "申请内容"), (1, "备注栏")}


def test_bad_rows_named_and_nothing_written(cli, tmp_path):  # type: ignore[no-untyped-def]
    rows = [
        _row(),  # row 2: good
        _row(**{"登记编号": "2025-00002", "收到日期": "2025-13-01"}),  # row 3: bad date
        _row(),  # row 4: duplicate of row 2
        _row(**{"登记编号": "2025-00003", "办结日期": "2025-03-10", "结果代码": "7.1"}),  # row 5
        _row(**{"登记编号": "2025-00004", "申请人类型": "外国人"}),  # row 6
        _row(**{"登记编号": "2024-00005"}),  # row 7: year does not match the receipt date
        # row 8: extension after the reply was due (service-level check)
        _row(
            **{
                "登记编号": "2025-00006",
                "延期日期": "2025-05-30",
                "延期工作日数": "5",
                "延期批准人": "李四",
            }
        ),
        _row(**{"登记编号": "2025-00007", "主办部门": "不存在处"}),  # row 9
    ]
    path = _write_csv(tmp_path / "bad.csv", rows)
    assert _errors(cli, path) == {
        (3, "收到日期"),
        (4, "登记编号"),
        (5, "结果代码"),
        (6, "申请人类型"),
        (7, "登记编号"),
        (8, "延期日期"),
        (9, "主办部门"),
    }


def test_bad_xlsx_date_and_existing_number(cli, reg, tmp_path):  # type: ignore[no-untyped-def]
    existing = reg.app("natural", "2025-03-03")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(_row(**{"登记编号": existing}))
    ws.append(_row(**{"登记编号": "2025-00009", "收到日期": "三月三日"}))
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    wb.close()
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code != 0
    errors = {(e["row"], e["column"]) for e in json.loads(r.stdout)["errors"]}
    assert errors == {(2, "登记编号"), (3, "收到日期")}
    assert [x["number"] for x in _register_view(cli)] == [existing]


def test_imported_numbers_advance_counter(cli, tmp_path):  # type: ignore[no-untyped-def]
    path = _write_csv(tmp_path / "one.csv", [_row(**{"登记编号": "2025-00041"})])
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    r = cli("register", "--channel", "in_person", "--received", "2025-04-01", "--applicant",
            "李", "--applicant-type", "natural", "--content", "x", "--today", LIST_TODAY,
            "--json")  # fmt: skip
    assert json.loads(r.stdout)["number"] == "2025-00042"


def test_export_into_a_missing_folder_names_the_option(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = cli("export", "--out", str(tmp_path / "nodir" / "led.xlsx"))
    assert r.exit_code == 2 and "--out" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "nodir").exists()


def test_steps_the_ledger_cannot_hold_are_listed_and_refused(  # type: ignore[no-untyped-def]
    cli, reg, fresh_url, monkeypatch, tmp_path
):
    """A consultation and an Art. 35 deferral have no ledger column: the export names them in
    台账未载步骤, and the import refuses the row rather than rebuild the case without them
    (its reply date would silently move); an emptied cell imports the listed steps only."""
    number = reg.app("natural", "2026-02-02")
    for args in (
        ("consult", "send", number, "--date", "2026-02-03", "--party", "某公司", "--served",
         "2026-02-03"),
        ("consult", "answer", number, "--date", "2026-02-10"),
        ("defer", number, "--date", "2026-02-12", "--due", "2026-04-30"),
    ):  # fmt: skip
        r = cli(*args, "--today", LIST_TODAY)
        assert r.exit_code == 0, r.stderr
    plain = reg.app("natural", "2026-02-04")
    path = tmp_path / "ledger.csv"
    assert cli("export", "--out", str(path), "--today", LIST_TODAY).exit_code == 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["登记编号"]: r for r in csv.DictReader(fh)}
    assert rows[number]["台账未载步骤"] == (
        "发出征求意见 2026-02-03；收到第三方或机关意见 2026-02-10；"
        "依第三十五条确定答复期限 2026-02-12"
    )
    assert rows[number]["答复期限"] == "2026-04-30"
    assert rows[plain]["台账未载步骤"] == ""
    _use(monkeypatch, fresh_url)
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code != 0
    report = json.loads(r.stdout)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "台账未载步骤")]
    assert "发出征求意见 2026-02-03" in report["errors"][0]["problem"]
    assert _register_view(cli) == []
    rows[number]["台账未载步骤"] = ""
    _write_csv(path, [list(r.values()) for r in rows.values()], list(rows[number]))
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    due = {x["number"]: x["reply_due"] for x in _register_view(cli)}
    assert due[number] != "2026-04-30"  # recomputed from the listed steps, as the clerk chose


def test_an_unknown_code_lists_the_accepted_values(cli, tmp_path):  # type: ignore[no-untyped-def]
    path = _write_csv(tmp_path / "codes.csv", [_row(**{"提交方式": "邮寄", "申请人类型": "公民"})])
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    problems = {e["column"]: e["problem"] for e in json.loads(r.stdout)["errors"]}
    assert problems["提交方式"] == (
        "未知的提交方式 '邮寄'；可用：当面提交、邮寄（挂号信、快递）、平信、"
        "网络（在线平台、电子邮件）、传真"
    )
    assert problems["申请人类型"].endswith(
        "可用：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他"
    )


def test_case_types_are_exported_by_name_and_imported_back(  # type: ignore[no-untyped-def]
    cli, fresh_url, monkeypatch, tmp_path
):
    """The ledger says 非本机关掌握 (the shipped name, for a config without `name`) and the
    office's own 紧急件, not their keys; an import reads either back to the key."""
    config = tmp_path / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[targets.case_types]\n"
        'not_ours = { within_days = 3 }\nurgent = { within_days = 2, name = "紧急件" }\n',
        encoding="utf-8",
    )
    numbers = []
    for kind in ("not_ours", "urgent", ""):
        r = cli("register", "--channel", "in_person", "--received", "2026-02-02", "--applicant",
                "张三", "--applicant-type", "natural", "--content", "某文件", "--case-type", kind,
                "--today", LIST_TODAY, "--json")  # fmt: skip
        assert r.exit_code == 0, r.stderr
        numbers.append(json.loads(r.stdout)["number"])
    path = tmp_path / "ledger.csv"
    assert cli("export", "--out", str(path), "--today", LIST_TODAY).exit_code == 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        shown = [r["案件类型"] for r in csv.DictReader(fh)]
    assert shown == ["非本机关掌握", "紧急件", ""]
    _use(monkeypatch, fresh_url)
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    kept = [json.loads(cli("show", n, "--json").stdout)["case_type"] for n in numbers]
    assert kept == ["not_ours", "urgent", ""]


def test_a_receipt_corrected_across_the_new_year_round_trips(cli, fresh_url, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """The number keeps the year it was registered in (rulebook §3.3): 2026-00001 received,
    as corrected, on 2025-12-31 imports back, and the 2026 counter moves past it."""
    r = cli("register", "--channel", "in_person", "--received", "2026-01-05", "--applicant",
            "张三", "--applicant-type", "natural", "--content", "x", "--today", LIST_TODAY,
            "--json")  # fmt: skip
    number = json.loads(r.stdout)["number"]
    r = cli("amend", number, "--received", "2025-12-31", "--reason", "元旦前已当面提交",
            "--today", LIST_TODAY)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    path = tmp_path / "ledger.csv"
    assert cli("export", "--out", str(path), "--admin", "--today", LIST_TODAY).exit_code == 0
    before = _register_view(cli)
    assert [(x["number"], x["received_on"]) for x in before] == [(number, "2025-12-31")]
    _use(monkeypatch, fresh_url)
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    assert _register_view(cli) == before
    r = cli("register", "--channel", "in_person", "--received", "2026-01-06", "--applicant",
            "李四", "--applicant-type", "natural", "--content", "y", "--today", LIST_TODAY,
            "--json")  # fmt: skip
    assert json.loads(r.stdout)["number"] != number
