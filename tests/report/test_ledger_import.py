"""The bulk import: same stored rows as the services, errors anywhere in a large file, counters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.report.test_ledger import LIST_TODAY, _register_view, _row, _use, _write_csv

# Columns that legitimately differ between a register and its re-import.
APP_SKIP = {"id", "created_at", "updated_at", "created_by"}
EVENT_SKIP = {"id", "application_id", "actor", "recorded_at"}


def _stored(url: str) -> tuple[list[dict], list[dict]]:
    """Every application and event row of the database at `url`, ids left out."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            apps = [
                dict(r._mapping)
                for r in conn.execute(text("SELECT * FROM application ORDER BY number"))
            ]
            events = [
                {"number": r.number, **{k: v for k, v in r._mapping.items() if k != "number"}}
                for r in conn.execute(
                    text(
                        "SELECT a.number, e.* FROM event e JOIN application a "
                        "ON a.id = e.application_id ORDER BY a.number, e.id"
                    )
                )
            ]
    finally:
        engine.dispose()
    strip = [{k: v for k, v in a.items() if k not in APP_SKIP} for a in apps]
    return strip, [{k: v for k, v in e.items() if k not in EVENT_SKIP} for e in events]


@pytest.fixture
def histories(reg):  # type: ignore[no-untyped-def]
    """Registered through the services: every kind of history the ledger carries."""
    a = reg.app("natural", "2025-03-03", department="zcfg", cooperating=["hbc"])
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
    d = reg.app("other", "2025-07-01", channel="online", arrived="2025-06-30")
    reg.event(d, "fee_notice_sent", "2025-07-03", amount_yuan=100)
    reg.reply(d, "6.2", "2025-08-20")
    e = reg.app("public_interest", "2025-06-02")
    reg.reply(e, "6.3", "2025-06-05")
    reg.app("legal_services", "2026-01-05")  # open, still running
    reg.app("other", None, arrived="2025-12-30", channel="online")  # unconfirmed
    f = reg.app("natural", "2025-09-01")
    reg.event(f, "correction_requested", "2025-09-03")  # still awaiting the correction


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_stores_what_the_services_store(  # type: ignore[no-untyped-def]
    cli, histories, db_url, fresh_url, monkeypatch, tmp_path, suffix
):
    """Every stored column and every logged event equal the service path's, deadlines too."""
    path = tmp_path / f"ledger{suffix}"
    r = cli("export", "--out", str(path), "--admin", "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stderr
    _use(monkeypatch, fresh_url)
    r = cli("import", str(path), "--today", LIST_TODAY, "--json")
    assert r.exit_code == 0, r.stdout
    assert json.loads(r.stdout)["imported"] == 8
    apps_before, events_before = _stored(db_url)
    apps_after, events_after = _stored(fresh_url)
    assert apps_after == apps_before
    assert events_after == events_before
    assert {a["reply_due"] is None for a in apps_after} == {True, False}  # both kinds seen


def _many(n: int, **bad: dict[str, str]) -> list[list[str]]:
    """`n` good rows numbered 2025-00001…; `bad` maps a spreadsheet row ("r700") to changes."""
    rows = []
    for i in range(n):
        values = {"登记编号": f"2025-{i + 1:05d}", "申请人": f"申请人{i}"}
        values.update(bad.get(f"r{i + 2}", {}))
        rows.append(_row(**values))
    return rows


def test_bad_row_in_a_large_file(cli, tmp_path):  # type: ignore[no-untyped-def]
    """One bad row deep in a large file is named, and not one of the good rows is written."""
    rows = _many(
        1200,
        r700={"延期日期": "2025-03-10", "延期工作日数": "25", "延期批准人": "李四"},
        r1100={"办结日期": "2025-03-05", "结果代码": "6.1"},  # abandoned without a correction
        r1201={"收到日期": "2027-01-04", "登记编号": "2027-01200"},  # in the future
    )
    path = _write_csv(tmp_path / "big.csv", rows)
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code == 2
    report = json.loads(r.stdout)
    assert (report["rows"], report["imported"]) == (1200, 0)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [
        (700, "延期工作日数"),
        (1100, "办结日期"),
        (1201, "收到日期"),
    ]
    assert _register_view(cli) == []
    # Nothing written means the counter did not move either.
    r = cli("register", "--channel", "in_person", "--received", "2025-04-01", "--applicant",
            "李", "--applicant-type", "natural", "--content", "x", "--today", LIST_TODAY,
            "--json")  # fmt: skip
    assert json.loads(r.stdout)["number"] == "2025-00001"


def test_duplicate_numbers_within_the_file(cli, tmp_path):  # type: ignore[no-untyped-def]
    rows = _many(30)
    rows[20] = _row(**{"登记编号": "2025-00005"})  # spreadsheet row 22 repeats row 6
    path = _write_csv(tmp_path / "dup.csv", rows)
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code == 2
    (error,) = json.loads(r.stdout)["errors"]
    assert (error["row"], error["column"]) == (22, "登记编号")
    assert "第 6 行" in error["problem"]
    assert _register_view(cli) == []


def test_dry_run_writes_nothing(cli, tmp_path):  # type: ignore[no-untyped-def]
    path = _write_csv(tmp_path / "ok.csv", _many(600))
    r = cli("import", str(path), "--dry-run", "--json", "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    assert json.loads(r.stdout) | {"errors": []} == {
        "rows": 600, "imported": 600, "dry_run": True, "ok": True, "errors": [],
        "notes": [], "encoding": "UTF-8（带 BOM）",
    }  # fmt: skip
    assert _register_view(cli) == []
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    assert len(_register_view(cli)) == 600


def test_where_the_old_ledger_counted_otherwise_is_listed(cli, tmp_path):  # type: ignore[no-untyped-def]
    """The old ledger's own 答复期限 and 是否按期 are recomputed, and every difference is
    listed (dry run and import alike) so the clerk can check it; the import still goes in."""
    rows = [
        _row(**{"答复期限": "2025-03-28"}),  # a hand count: received 03-03, due 03-31
        _row(**{"登记编号": "2025-00002", "答复期限": "2025-03-31"}),  # agrees
        _row(
            **{
                "登记编号": "2025-00003",
                "办结日期": "2025-03-20",
                "结果代码": "1",
                "是否按期": "否",
            }
        ),  # replied on day 13 of 20: on time
        _row(**{"登记编号": "2025-00004", "答复期限": "三月底"}),  # not a date: not compared
    ]
    path = _write_csv(tmp_path / "old.csv", rows)
    r = cli("import", str(path), "--dry-run", "--json", "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stdout
    assert json.loads(r.stdout)["notes"] == [
        {
            "row": 2,
            "column": "答复期限",
            "problem": "原台账为 2025-03-28，按本系统计算为 2025-03-31",
        },
        {"row": 4, "column": "是否按期", "problem": "原台账为 否，按本系统计算为 是"},
    ]
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stderr
    assert "2 处与原台账不一致" in r.stdout and "2025-03-28" in r.stdout
    assert len(_register_view(cli)) == 4


def test_an_exported_ledger_imports_without_a_note(  # type: ignore[no-untyped-def]
    cli, histories, fresh_url, monkeypatch, tmp_path
):
    path = tmp_path / "ledger.csv"
    assert cli("export", "--out", str(path), "--admin", "--today", LIST_TODAY).exit_code == 0
    _use(monkeypatch, fresh_url)
    r = cli("import", str(path), "--dry-run", "--json", "--today", LIST_TODAY)
    assert r.exit_code == 0 and json.loads(r.stdout)["notes"] == []


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"提交方式": "平信", "送达日期": "2025-03-01"}, "收到日期"),  # Art. 31: same day
        ({"收到补正日期": "2025-03-10"}, "收到补正日期"),  # no correction was asked
        ({"缴费日期": "2025-03-10"}, "缴费日期"),  # no fee notice
        ({"延期日期": "2025-03-10", "延期工作日数": "5"}, "延期批准人"),  # approver required
        ({"补正告知日期": "2025-03-20", "办结日期": "2025-03-10", "结果代码": "1"},
         "补正告知日期"),  # an event after the reply
        ({"阶段": "归档"}, "阶段"),  # archived without a reply
        ({"案件类型": "未配置的类型"}, "案件类型"),
        ({"证件号码": "110101199001011234"}, "证件号码"),  # a resident ID's check digit
        ({"联系电话": "138-abc"}, "联系电话"),
    ],
    ids=["receipt-rule", "correction-order", "fee-order", "approver", "after-close",
         "stage", "case-type", "id-number", "phone"],
)  # fmt: skip
def test_service_rules_apply(cli, tmp_path, changes, column):  # type: ignore[no-untyped-def]
    rows = [_row(**{"登记编号": "2025-00001", **changes}), _row(**{"登记编号": "2025-00002"})]
    path = _write_csv(tmp_path / "r.csv", rows)
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code == 2, r.stdout
    assert [(e["row"], e["column"]) for e in json.loads(r.stdout)["errors"]] == [(2, column)]
    assert _register_view(cli) == []


def test_stage_from_the_file_is_logged(cli, tmp_path):  # type: ignore[no-untyped-def]
    rows = [
        _row(**{"登记编号": "2025-00001", "办结日期": "2025-03-10", "结果代码": "1",
                "阶段": "归档"}),
        _row(**{"登记编号": "2025-00002", "阶段": "审核"}),
    ]  # fmt: skip
    path = _write_csv(tmp_path / "s.csv", rows)
    assert cli("import", str(path), "--today", LIST_TODAY).exit_code == 0
    view = {x["number"]: x["stage"] for x in _register_view(cli)}
    assert view == {"2025-00001": "archived", "2025-00002": "review"}
    show = json.loads(cli("show", "2025-00001", "--json", "--today", LIST_TODAY).stdout)
    assert [t["kind"] for t in show["timeline"]][-2:] == ["replied", "stage_moved"]
    assert show["timeline"][-1]["label"] == "转入“归档”阶段"


def test_counter_never_moves_back(cli, reg, tmp_path):  # type: ignore[no-untyped-def]
    for _ in range(3):
        reg.app("natural", "2025-03-03")  # 2025-00001 … 00003
    path = _write_csv(tmp_path / "c.csv", [_row(**{"登记编号": "2025-00002"})])
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code == 2  # the number exists
    path = _write_csv(tmp_path / "low.csv", [_row(**{"登记编号": "2024-00001",
                                                     "收到日期": "2024-06-03"})])  # fmt: skip
    assert cli("import", str(path), "--today", LIST_TODAY).exit_code == 0
    assert reg.app("natural", "2025-03-04") == "2025-00004"
    assert reg.app("natural", "2024-06-04") == "2024-00002"


def test_unreadable_cells_reported_per_row(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    rows = _many(5, r4={"收费通知日期": "2025-03-05"})  # no amount
    path = _write_csv(tmp_path / "f.csv", rows)
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert [(e["row"], e["column"]) for e in json.loads(r.stdout)["errors"]] == [
        (4, "收费金额（元）")
    ]


def test_damaged_xlsx_is_refused(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code != 0
    assert "不是有效的 xlsx 文件（broken.xlsx）" in r.stderr
    assert _register_view(cli) == []
