"""The case file on the web: upload, preview headers, department scoping (also by guessed
ids), errors beside the field, service form, archive button."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from disclosure.settings import Settings
from tests.casefile.conftest import image_bytes, pdf_bytes
from tests.conftest import base_settings
from tests.web.conftest import csrf_of, post_form, register


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return base_settings(tmp_path, db_url, documents={"dir": str(tmp_path / "docs"), "max_mb": 1})


def _upload(
    client,
    number: str,
    name: str,
    data: bytes,
    kind: str = "application_form",  # type: ignore[no-untyped-def]
    **fields: str,
):
    token = csrf_of(client.get(f"/applications/{number}").text)
    return client.post(
        f"/applications/{number}/documents",
        data={"csrf_token": token, "kind": kind, **fields},
        files={"file": (name, data, "application/octet-stream")},
    )


def _doc_id(client, number: str) -> int:  # type: ignore[no-untyped-def]
    import re

    page = client.get(f"/applications/{number}").text
    return int(re.findall(rf"/applications/{number}/documents/(\d+)\?download=1", page)[-1])


def test_upload_preview_download(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, department="zcfg")
    scan = image_bytes("PNG", (600, 800))
    r = _upload(clerk, number, "申请表.png", scan, note="窗口收件")
    assert r.status_code == 303 and r.headers["location"].endswith("#documents")
    page = clerk.get(f"/applications/{number}").text
    assert "已上传：申请表 申请表.png" in page and "PNG 图片" in page and "<img" in page
    doc = _doc_id(clerk, number)
    inline = clerk.get(f"/applications/{number}/documents/{doc}")
    assert inline.status_code == 200 and inline.content == scan
    assert inline.headers["content-type"] == "image/png"
    assert inline.headers["x-content-type-options"] == "nosniff"
    assert inline.headers["content-disposition"].startswith("inline; filename*=UTF-8''")
    # the page frames the preview: this site may frame it, no other site may
    assert "frame-ancestors 'self'" in inline.headers["content-security-policy"]
    assert inline.headers["x-frame-options"] == "SAMEORIGIN"
    page_csp = clerk.get(f"/applications/{number}").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page_csp
    down = clerk.get(f"/applications/{number}/documents/{doc}?download=1")
    assert down.headers["content-disposition"].startswith("attachment;")
    assert hashlib.sha256(down.content).hexdigest() == hashlib.sha256(scan).hexdigest()


def test_a_department_never_gets_another_departments_file(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    theirs = register(clerk, department="zcfg")
    ours = register(clerk, department="hbc")
    _upload(clerk, theirs, "secret.pdf", pdf_bytes("SECRET"))
    secret = _doc_id(clerk, theirs)
    hbc = client_for("hbc_user")
    assert hbc.get(f"/applications/{theirs}/documents/{secret}").status_code == 404
    # guessing: the id under an application this handler may see
    assert hbc.get(f"/applications/{ours}/documents/{secret}").status_code == 404
    assert hbc.get(f"/applications/{ours}/documents/{secret}?download=1").status_code == 404
    assert hbc.get(f"/applications/{theirs}/archive/0.pdf").status_code == 404
    zcfg = client_for("zcfg_user")
    assert zcfg.get(f"/applications/{theirs}/documents/{secret}").content.startswith(b"%PDF")
    # and uploading to it is refused the same way
    token = csrf_of(hbc.get(f"/applications/{ours}").text)
    r = hbc.post(
        f"/applications/{theirs}/documents",
        data={"csrf_token": token, "kind": "other"},
        files={"file": ("x.pdf", pdf_bytes("x"), "application/pdf")},
    )
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("scan.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "可执行程序"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (1 << 20), "大小限制"),
        ("fake.pdf", b"%PDF-1.4\n%abc", "文件“fake.pdf”以 PDF 开头"),
        ("..\\..\\boot.ini", b"%PDF-1.4\n", "路径分隔符"),
    ],
    ids=["elf", "too-big", "fake-pdf", "path"],
)
def test_bad_uploads_are_shown_beside_the_field(client_for, tmp_path, name, data, words) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk)
    r = _upload(clerk, number, name, data)
    assert r.status_code == 400 and words in r.text and 'id="err-file"' in r.text
    docs = tmp_path / "docs"
    assert not docs.exists() or not [p for p in docs.rglob("*") if p.is_file()]


def test_service_form_and_unserved_letters(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk)
    page = f"/applications/{number}"
    r = post_form(clerk, page, f"/applications/{number}/letters", {"kind": "receipt"})
    assert r.status_code == 200  # type: ignore[attr-defined]
    shown = clerk.get(page).text
    assert "未送达" in shown
    import re

    ref = re.search(r'<select name="letter">\s*<option value="([^"]+)"', shown).group(1)  # type: ignore[union-attr]
    r = post_form(
        clerk,
        page,
        f"/applications/{number}/service",
        {"letter": ref, "method": "post_ems", "date": "2026-03-01"},
    )
    assert r.status_code == 400 and "早于文书" in r.text and 'id="err-date"' in r.text  # type: ignore[attr-defined]
    r = post_form(
        clerk,
        page,
        f"/applications/{number}/service",
        {"letter": ref, "method": "post_ems", "date": "2026-03-05", "tracking": "EA 9 CN"},
    )
    assert r.status_code == 400 and 'id="err-tracking"' in r.text and "邮件单号" in r.text  # type: ignore[attr-defined]
    token = csrf_of(clerk.get(page).text)
    r = clerk.post(
        f"/applications/{number}/service",
        data={
            "csrf_token": token,
            "letter": ref,
            "method": "post_ems",
            "date": "2026-03-05",
            "tracking": "EA9CN",
        },
        files={"proof": ("ems.jpg", image_bytes("JPEG", (300, 200)), "image/jpeg")},
    )
    assert r.status_code == 303
    shown = clerk.get(page).text
    assert "邮政EMS，交邮 2026-03-05" in shown and "尚未签收" in shown and "送达凭证" in shown


def test_archive_button_is_for_the_office(client_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, department="zcfg")
    page = f"/applications/{number}"
    post_form(
        clerk, page, f"/applications/{number}/actions/reply", {"outcome": "1", "date": "2026-03-04"}
    )
    zcfg = client_for("zcfg_user")
    assert "归档并生成案卷" not in zcfg.get(page).text
    r = post_form(zcfg, page, f"/applications/{number}/archive", {})
    assert r.status_code == 403  # type: ignore[attr-defined]
    assert "归档并生成案卷" in clerk.get(page).text
    r = post_form(clerk, page, f"/applications/{number}/archive", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    pdf = zcfg.get(f"/applications/{number}/archive/0.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert clerk.get(f"/applications/{number}/archive/0.pdf").content == pdf.content


def _pdf_text(pdf: bytes, tmp_path: Path, first: int, last: int) -> str:
    import subprocess

    path = tmp_path / "volume.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_the_case_file_names_people_not_logins(client_for, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from disclosure.db import transaction
    from disclosure.services.users import create_user
    from tests.conftest import NOW
    from tests.web.conftest import PASSWORD

    with transaction(engine) as session:
        create_user(
            session,
            username="wangfang",
            password=PASSWORD,
            role="clerk",
            display_name="王芳",
            now=NOW,
        )
    wang = client_for("wangfang")
    number = register(wang, department="zcfg")
    assert _upload(wang, number, "申请表.pdf", pdf_bytes("FORM")).status_code == 303
    page = f"/applications/{number}"
    shown = wang.get(page).text
    documents = shown[shown.index('id="documents"') : shown.index('id="service"')]
    assert "王芳" in documents and "wangfang" not in documents
    post_form(
        wang, page, f"/applications/{number}/actions/reply", {"outcome": "1", "date": "2026-03-04"}
    )
    r = post_form(wang, page, f"/applications/{number}/archive", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    pdf = wang.get(f"/applications/{number}/archive/0.pdf").content
    cover = _pdf_text(pdf, tmp_path, 1, 1)
    assert "王芳" in next(ln for ln in cover.splitlines() if "经办人" in ln), cover
    assert "wangfang" not in cover


def test_archiving_before_the_reply_letter_is_served_is_asked_first(client_for) -> None:  # type: ignore[no-untyped-def]
    """The archive button carries the question (app.js asks it) and the page says why; once
    the letter's service is recorded, neither."""
    clerk = client_for("clerk")
    number = register(clerk)
    page = f"/applications/{number}"
    post_form(clerk, page, f"{page}/actions/reply", {"outcome": "1", "date": "2026-03-04"})
    assert "archive-warning" not in clerk.get(page).text  # no reply letter: nothing to serve
    letter = {"kind": "reply", "variant": "disclosed_now", "attachments": "报告.pdf",
              "date": "2026-03-04"}  # fmt: skip
    r = post_form(clerk, page, f"{page}/letters", letter)
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    shown = clerk.get(page).text
    form = shown[shown.index('class="inline archive"') :].split("</form>", 1)[0]
    assert 'data-confirm="注意：答复文书' in form and "确定现在归档吗？" in form
    assert 'id="archive-warning"' in form and "尚未记录送达" in form
    import re

    ref = re.search(r'<select name="letter">\s*<option value="([^"]+)"', shown).group(1)  # type: ignore[union-attr]
    service = {"letter": ref, "method": "direct", "date": "2026-03-04", "signed": "2026-03-04"}
    r = post_form(clerk, page, f"{page}/service", service)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    assert "archive-warning" not in clerk.get(page).text
