"""`disclosure letter` and `disclosure letter kinds`, end to end (both databases)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.letters.conftest import docx_text

REGISTER = (
    "register", "--channel", "in_person", "--received", "2026-03-02", "--applicant",
    "A<B & C公司", "--applicant-type", "business", "--content", "检查记录", "--today", "2026-03-05",
)  # fmt: skip


def test_kinds_lists_every_kind(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("letter", "kinds", "--json")
    assert r.exit_code == 0, r.stderr
    rows = {row["kind"]: row for row in json.loads(r.stdout)}
    assert rows["correction"]["name"] == "补正告知书"
    assert rows["fee"]["records"] == "fee_notice_sent"
    assert {"receipt", "extension", "consultation", "reply", "abandoned", "art35"} <= set(rows)
    r = cli("letter", "kinds")
    assert r.exit_code == 0 and "延期答复告知书" in r.stdout
    # the letter's own name for files and lists; the label only for choosing the kind
    assert (rows["reply"]["name"], rows["reply"]["label"]) == (
        "答复书",
        "答复书（按记录的答复结果）",
    )


def test_a_date_other_than_the_recorded_steps_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    r = cli("consult", "send", "2026-00001", "--party", "某公司", "--date", "2026-03-05",
            "--served", "2026-03-05", "--today", "2026-03-05")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = cli("letter", "2026-00001", "--kind", "consultation", "--date", "2026-03-04",
            "--today", "2026-03-06")  # fmt: skip
    assert r.exit_code == 5 and r.stderr.startswith("错误：--date: ")
    assert "2026-03-05" in r.stderr and "2026-03-04" in r.stderr
    assert json.loads(cli("letter", "list", "2026-00001", "--json").stdout) == []
    assert not (tmp_path / "letters").exists()


def test_receipt_default_path(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(*REGISTER).exit_code == 0
    r = cli("letter", "2026-00001", "--kind", "receipt", "--today", "2026-03-05")
    assert r.exit_code == 0, r.stderr
    assert "某环依申告〔2026〕1号" in r.stdout
    text = docx_text((tmp_path / "letters" / "2026-00001-receipt.docx").read_bytes())
    assert "某市生态环境局" in text and "A<B & C公司：" in text
    r = cli("letter", "2026-00001", "--kind", "receipt", "--today", "2026-03-06", "--json")
    out = json.loads(r.stdout)
    assert out["reference"] == "某环依申告〔2026〕1号" and out["new"] is False


def test_extension_via_cli_records_event(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    out = tmp_path / "x" / "ext.docx"
    r = cli("letter", "2026-00001", "--kind", "extension", "--days", "5", "--today", "2026-03-05")
    assert r.exit_code != 0 and "--approver" in r.stderr
    assert not (tmp_path / "letters").exists()
    r = cli(
        "letter", "2026-00001", "--kind", "extension", "--days", "5", "--approver", "李主任",
        "--date", "2026-03-05", "--today", "2026-03-05", "--out", str(out),
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    # Due Mon 3/30 + 5 working days: 3/31, 4/1, 4/2, 4/3, (4/4–4/6 清明) 4/7.
    assert "2026年4月7日" in docx_text(out.read_bytes())
    show = json.loads(cli("show", "2026-00001", "--today", "2026-03-05", "--json").stdout)
    assert show["reply_due"] == "2026-04-07"
    assert [e["kind"] for e in show["timeline"]].count("extension_granted") == 1


def test_bad_kind_and_missing_kind(cli) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    r = cli("letter", "2026-00001", "--kind", "memo", "--today", "2026-03-05")
    assert r.exit_code == 2 and "--kind" in r.stderr
    r = cli("letter", "2026-00001", "--today", "2026-03-05")
    assert r.exit_code == 2 and "--kind" in r.stderr
    r = cli("letter", "2026-09999", "--kind", "receipt", "--today", "2026-03-05")
    assert r.exit_code == 4


def test_pdf_without_libreoffice(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    r = cli("letter", "2026-00001", "--kind", "receipt", "--pdf", "--today", "2026-03-05")
    assert r.exit_code == 3
    assert "未安装 LibreOffice" in r.stderr
    assert (tmp_path / "letters" / "2026-00001-receipt.docx").is_file()


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext not installed",
)
def test_pdf_text(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    cli("reply", "2026-00001", "--outcome", "4.1", "--date", "2026-03-20", "--today", "2026-03-20")
    r = cli(
        "letter", "2026-00001", "--kind", "reply", "--pdf", "--today", "2026-03-20",
        "--variant", "not_ours", "--responsible-agency", "某市市场监督管理局",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    pdf = tmp_path / "letters" / "2026-00001-reply.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "某环依申复〔2026〕1号" in flat
    assert "A<B&C公司" in flat
    assert "本机关于2026年3月2日收到您提出的政府信息公开申请" in flat
    assert "某市市场监督管理局" in flat
    assert "某市人民政府申请行政复议" in flat


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_a_correction_as_pdf_says_where_the_pdf_is(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    cli("letter", "2026-00001", "--kind", "correction", "--item", "请说明检查对象",
        "--date", "2026-03-04", "--today", "2026-03-05")  # fmt: skip
    r = cli("letter", "correct", "2026-00001", "--reference", "某环依申告〔2026〕1号",
            "--correction-reason", "漏列时间范围", "--item", "请说明时间范围", "--pdf",
            "--today", "2026-03-05")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("已出具更正文书 某环依申告〔2026〕2号（更正 某环依申告〔2026〕1号）")
    assert lines[1].startswith("PDF：") and Path(lines[1].removeprefix("PDF：")).is_file()


def test_letter_help_names_its_other_forms(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("letter", "correct", "--help")
    assert r.exit_code == 0
    flat = "".join(r.stdout.split())
    assert "disclosurelettercorrect登记编号--reference文号--correction-reason理由" in flat
    assert "disclosureletterlist登记编号" in flat


def test_several_numbers_one_transaction(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    cli(*REGISTER)
    two = ("2026-00001", "2026-00002")
    r = cli("letter", *two, "--kind", "receipt", "--out", "x.docx", "--today", "2026-03-05")
    assert r.exit_code == 2 and "--out" in r.stderr
    r = cli("letter", *two, "2026-09999", "--kind", "correction", "--today", "2026-03-05")
    assert r.exit_code == 4 and "2026-09999" in r.stderr
    assert not (tmp_path / "letters").exists()
    show = json.loads(cli("show", "2026-00001", "--today", "2026-03-05", "--json").stdout)
    assert "correction_requested" not in [e["kind"] for e in show["timeline"]]
    r = cli("letter", *two, "--kind", "receipt", "--today", "2026-03-05", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert [o["reference"] for o in out] == ["某环依申告〔2026〕1号", "某环依申告〔2026〕2号"]
    for number in two:
        text = docx_text((tmp_path / "letters" / f"{number}-receipt.docx").read_bytes())
        assert f"登记编号：{number}" in text


def test_list_and_correct_from_the_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    cli(*REGISTER)
    r = cli(
        "letter", "2026-00001", "--kind", "correction", "--item", "请说明检查对象",
        "--date", "2026-03-04", "--today", "2026-03-05", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    first = json.loads(r.stdout)
    first_bytes = Path(first["docx"]).read_bytes()
    assert first["sha256"] == hashlib.sha256(first_bytes).hexdigest()
    r = cli("letter", "correct", "2026-00001", "--reference", "某环依申告〔2026〕1号",
            "--today", "2026-03-05")  # fmt: skip
    assert r.exit_code != 0 and "reason" in r.stderr  # a correction says why
    r = cli(
        "letter", "correct", "2026-00001", "--reference", "某环依申告〔2026〕1号",
        "--correction-reason", "漏列时间范围", "--item", "请说明检查对象", "--item",
        "请说明时间范围", "--today", "2026-03-05", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    fixed = json.loads(r.stdout)
    assert fixed["reference"] == "某环依申告〔2026〕2号"
    assert fixed["corrects"] == "某环依申告〔2026〕1号"
    assert Path(first["docx"]).read_bytes() == first_bytes  # the old file is not overwritten
    assert "原文书同时作废" in docx_text(Path(fixed["docx"]).read_bytes())
    rows = json.loads(cli("letter", "list", "2026-00001", "--json").stdout)
    assert [(x["reference"], x["corrected_by"]) for x in rows] == [
        ("某环依申告〔2026〕1号", "某环依申告〔2026〕2号"),
        ("某环依申告〔2026〕2号", None),
    ]
    assert rows[0]["sha256"] == first["sha256"]
    human = cli("letter", "list", "2026-00001")
    assert human.exit_code == 0 and "更正" in human.stdout  # (a narrow terminal folds cells)
    r = cli("letter", "2026-00001", "--kind", "correction", "--date", "2026-03-06",
            "--today", "2026-03-06")  # fmt: skip
    assert r.exit_code != 0 and "--date" in r.stderr and "更正" in r.stderr
