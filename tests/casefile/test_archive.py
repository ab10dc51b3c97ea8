"""The archive package, read back with poppler: pages, the 卷内目录's page numbers, fonts,
the zip of what cannot be converted, the same file when asked again, supplements."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.casefile.conftest import image_bytes, ofd_bytes, pdf_bytes, register

pytestmark = pytest.mark.slow


def _text(pdf: Path, first: int, last: int | None = None) -> str:
    args = ["pdftotext", "-layout", "-f", str(first), "-l", str(last or first), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def _toc_page(toc: str, title: str) -> tuple[int, int]:
    """The 页号 of the 目录 line whose 题名 starts with `title` (first, last page)."""
    for line in toc.splitlines():
        if title in line:
            m = re.search(r"(\d+)(?:–(\d+))?\s*$", line.rstrip())
            assert m, line
            return int(m.group(1)), int(m.group(2) or m.group(1))
    raise AssertionError(f"{title} not in the 目录:\n{toc}")


def _case(desk, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    number = register(desk)
    desk.ok("letter", number, "--kind", "receipt", "--out", "receipt.docx", "--today", "2026-03-02")
    desk.ok(
        "letter",
        number,
        "--kind",
        "reply",
        "--outcome",
        "1",
        "--variant",
        "disclosed_now",
        "--date",
        "2026-03-20",
        "--out",
        "reply.docx",
        "--today",
        "2026-03-20",
    )
    files = {
        "form.pdf": (
            pdf_bytes("APPLICATION-FORM-PAGE-1", "APPLICATION-FORM-PAGE-2"),
            "application_form",
        ),
        "idcard.jpg": (image_bytes("JPEG"), "id_document"),
        "envelope.png": (image_bytes("PNG", (900, 600), "RGBA"), "envelope"),
        "draft.docx": ((tmp_path / "reply.docx").read_bytes(), "reply"),  # made by the project
        "opinion.ofd": (ofd_bytes(), "opinion"),
    }
    for name, (data, kind) in files.items():
        (tmp_path / name).write_bytes(data)
        desk.ok("attach", number, name, "--kind", kind, "--today", "2026-03-20")
    (tmp_path / "ems.png").write_bytes(image_bytes("PNG", (800, 500)))
    desk.ok(
        "serve-letter",
        number,
        "--letter",
        "某环依申复〔2026〕1号",
        "--method",
        "post_ems",
        "--date",
        "2026-03-20",
        "--tracking",
        "EA0001CN",
        "--proof",
        "ems.png",
        "--today",
        "2026-03-20",
    )
    return number


def test_archive_package(desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    number = _case(desk, tmp_path)
    out = tmp_path / "case.pdf"
    r = desk.ok("archive", number, "--out", str(out), "--zip", "--today", "2026-03-25", "--json")
    info = json.loads(r.stdout)
    assert info["stage"] == "archived"
    assert "尚未记录送达" not in r.stderr  # the reply letter's service is on record
    arc = info["archive"]
    assert arc["created"] and arc["volume"] == 0
    assert arc["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    total = _pages(out)
    assert total == arc["pages"]

    cover = _text(out, 1)
    for words in (
        "政府信息公开申请办理案卷",
        number,
        "自然人",
        "予以公开",
        "2026-03-20（按期）",
        "政策法规处",
        "10 年（至 2036-03-25）",
        f"{total} 页",
    ):
        assert words in cover, words
    toc = _text(out, 2)
    assert "卷内目录" in toc
    first, last = _toc_page(toc, "申请表：form.pdf")
    assert (first, last) == (3, 4)  # cover 1, 目录 2, the two-page form next
    assert "APPLICATION-FORM-PAGE-1" in _text(out, first)
    assert "APPLICATION-FORM-PAGE-2" in _text(out, last)
    receipt, _ = _toc_page(toc, "登记回执")
    assert "登记回执" in _text(out, receipt)
    reply, _ = _toc_page(toc, "答复书 ")  # the letter by its name (not 答复书：draft.docx)
    assert "政府信息公开申请答复书" in _text(out, reply)
    log_first, log_last = _toc_page(toc, "办理经过")
    assert log_last == total and "办理经过" in _text(out, log_first)
    assert "EA0001CN" in _text(out, log_first, log_last)
    # images are pages; the OFD is listed and zipped
    assert _toc_page(toc, "身份证明：idcard.jpg")[0] < receipt
    assert "opinion.ofd" in toc and "见附件包" in toc
    with zipfile.ZipFile(out.with_suffix(".zip")) as z:
        names = z.namelist()
        assert len(names) == 1 and names[0].endswith("-opinion.ofd")
        assert z.read(names[0]) == ofd_bytes()
    # every page numbered at its top right
    for p in (1, 2, total):
        assert str(p) in _text(out, p).splitlines()[0]
    fonts = subprocess.run(
        ["pdffonts", "-f", "1", "-l", "2", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK-SC" in fonts and "CJK-JP" not in fonts  # Simplified Chinese glyphs

    # asked again: the same file, byte for byte, nothing new recorded
    again = tmp_path / "again.pdf"
    info2 = json.loads(
        desk.ok("archive", number, "--out", str(again), "--today", "2026-03-26", "--json").stdout
    )
    assert again.read_bytes() == out.read_bytes() and not info2["archive"]["created"]
    shown = json.loads(desk.ok("show", number, "--json").stdout)
    archived = [e for e in shown["timeline"] if e["kind"] == "case_archived"]
    assert len(archived) == 1 and arc["sha256"] in archived[0]["note"]

    # a document added later goes into 补充卷 1; the 正卷 is unchanged
    (tmp_path / "late.pdf").write_bytes(pdf_bytes("LATE-EMS-RECEIPT"))
    desk.ok("attach", number, "late.pdf", "--kind", "service_proof", "--today", "2026-03-30")
    sup = tmp_path / "sup.pdf"
    info3 = json.loads(
        desk.ok("archive", number, "--out", str(sup), "--today", "2026-03-30", "--json").stdout
    )
    assert info3["archive"]["volume"] == 1 and info3["archive"]["created"]
    assert "补充卷 1" in _text(sup, 1) and arc["sha256"][:40] in _text(sup, 1)
    late_page, _ = _toc_page(_text(sup, 2), "送达凭证：late.pdf")
    assert "LATE-EMS-RECEIPT" in _text(sup, late_page)
    assert "APPLICATION-FORM-PAGE-1" not in _text(sup, 1, _pages(sup))
    main = tmp_path / "main.pdf"
    desk.ok("archive", number, "--out", str(main), "--volume", "0")
    assert main.read_bytes() == out.read_bytes()


def test_archive_without_out_keeps_the_old_behaviour(desk) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    r = desk("archive", number, "--today", "2026-03-05")
    assert r.exit_code == 5 and "阶段:" in r.stderr  # not replied yet: refused as before
    desk.ok("reply", number, "--outcome", "1", "--date", "2026-03-05", "--today", "2026-03-05")
    r = desk.ok("archive", number, "--note", "整理完毕", "--today", "2026-03-06")
    assert r.stdout.startswith(f"{number}：已转入归档阶段。答复期限 ")
    shown = json.loads(desk.ok("show", number, "--json").stdout)
    assert shown["stage"] == "archived"
    assert not [e for e in shown["timeline"] if e["kind"] == "case_archived"]  # no package


def test_archive_refuses_a_missing_folder_and_an_open_case(desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    r = desk("archive", number, "--out", str(tmp_path / "nope" / "x.pdf"))
    assert r.exit_code == 2 and "out:" in r.stderr
    r = desk("archive", number, "--out", str(tmp_path / "x.pdf"))
    assert r.exit_code == 5 and not (tmp_path / "x.pdf").exists()


def test_archiving_before_the_reply_letter_is_served_says_so(desk) -> None:  # type: ignore[no-untyped-def]
    """The cover would read 答复送达日 未送达: the clerk is told, and archiving goes ahead."""
    number = register(desk)
    desk.ok("letter", number, "--kind", "reply", "--outcome", "1", "--variant", "disclosed_now",
            "--date", "2026-03-20", "--out", "reply.docx", "--today", "2026-03-20")  # fmt: skip
    r = desk.ok("archive", number, "--today", "2026-03-25")
    assert "注意：答复文书 某环依申复〔2026〕1号 尚未记录送达" in r.stderr
    assert "已转入归档阶段" in r.stdout
