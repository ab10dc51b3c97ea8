"""Attaching documents: bytes, hashes, the event in the same transaction, and refusals that
leave nothing behind (no row, no event, no file in the store). Both databases."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date

import pytest
from sqlmodel import select

from disclosure.casefile.documents import Upload, attach
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.models import EventRecord
from disclosure.services.context import Context
from disclosure.services.office import load_office
from tests.casefile.conftest import counts, image_bytes, ofd_bytes, pdf_bytes, register

TODAY = date(2026, 3, 5)


def _attach(engine, settings, number, data, name="申请表.pdf", kind="application_form", **kw):  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        ctx = Context(load_office(s, settings), TODAY, "clerk", now_utc())
        return attach(s, ctx=ctx, number=number, upload=Upload(io.BytesIO(data), name, kind, **kw))


def test_attach_lists_and_gets_back_the_same_bytes(desk, tmp_path, engine, store) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    scan = image_bytes("JPEG")
    (tmp_path / "scan.jpg").write_bytes(scan)
    out = json.loads(
        desk.ok(
            "attach",
            number,
            "scan.jpg",
            "--kind",
            "application_form",
            "--note",
            "窗口收件",
            "--json",
        ).stdout
    )
    assert out["sha256"] == hashlib.sha256(scan).hexdigest()
    assert out["media_type"] == "image/jpeg" and out["size"] == len(scan)
    assert store.read(out["sha256"]) == scan
    listed = json.loads(desk.ok("files", number, "--json").stdout)
    assert [d["id"] for d in listed] == [out["id"]] and listed[0]["kind_label"] == "申请表"
    desk.ok("file", "get", str(out["id"]), "--out", str(tmp_path / "back.jpg"))
    assert (tmp_path / "back.jpg").read_bytes() == scan
    with transaction(engine, write=False) as s:
        ev = s.exec(select(EventRecord).where(EventRecord.kind == "document_attached")).one()
    assert ev.data["document_id"] == out["id"] and ev.data["sha256"] == out["sha256"]
    assert listed[0]["note"] == "窗口收件"


def test_same_bytes_are_stored_once(desk, engine, settings, store) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    data = pdf_bytes("APPLICATION")
    a = _attach(engine, settings, number, data)
    b = _attach(engine, settings, number, data, name="copy.pdf", kind="other")
    assert a.sha256 == b.sha256 and a.id != b.id
    assert list(store.digests()) == [a.sha256]


def test_the_same_scan_as_the_same_material_is_refused(desk, engine, settings, store) -> None:  # type: ignore[no-untyped-def]
    """Uploaded twice, a scan would be listed twice in the 卷内目录; nothing is written."""
    number = register(desk)
    data = pdf_bytes("APPLICATION")
    first = _attach(engine, settings, number, data)
    before = counts(engine, store)
    with pytest.raises(Conflict, match=r"同一文件已作为“申请表”上传过（申请表\.pdf）") as e:
        _attach(engine, settings, number, data, name="再扫一次.pdf")
    assert e.value.field == "file" and counts(engine, store) == before
    with transaction(engine, write=False) as s:
        ev = s.exec(select(EventRecord).where(EventRecord.kind == "received")).one()
    proof = _attach(engine, settings, number, data, event_id=ev.id)  # another step: allowed
    assert proof.id != first.id


def test_attached_to_an_event_of_this_application(desk, engine, settings) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    with transaction(engine, write=False) as s:
        ev = s.exec(select(EventRecord).where(EventRecord.kind == "received")).one()
    doc = _attach(engine, settings, number, pdf_bytes("x"), event_id=ev.id)
    assert doc.event_id == ev.id


BAD = [
    ("over the 1 MB limit", b"%PDF-1.4\n" + b"0" * (1 << 20), "a.pdf", {}, "file", "大小限制"),
    ("unknown type", b"hello, world\n" * 10, "a.pdf", {}, "file", "不支持的文件类型"),
    ("ELF renamed .pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "a.pdf", {}, "file", "可执行"),
    ("PE renamed .pdf", b"MZ\x90\x00" + b"\x00" * 200, "a.pdf", {}, "file", "可执行"),
    ("13 bytes of PDF", b"%PDF-1.4\n%abc", "申请.pdf", {}, "file", "文件“申请.pdf”以 PDF 开头"),
    ("half a PDF", pdf_bytes("x")[:400], "b.pdf", {}, "file", "无法作为 PDF 打开"),
    ("path in the name", None, "../../a.pdf", {}, "file", "路径分隔符"),
    ("control character", None, "a\x07.pdf", {}, "file", "控制字符"),
    ("unknown kind", None, "a.pdf", {"kind": "passport"}, "kind", "未知的材料种类"),
]


@pytest.mark.parametrize(
    ("why", "data", "name", "kw", "field", "words"), BAD, ids=[b[0] for b in BAD]
)
def test_refused_uploads_leave_nothing(
    desk,
    engine,
    settings,
    store,
    why,
    data,
    name,
    kw,  # type: ignore[no-untyped-def]
    field,
    words,
) -> None:
    number = register(desk)
    before = counts(engine, store)
    with pytest.raises(InvalidInput) as e:
        _attach(engine, settings, number, data or pdf_bytes("ok"), name=name, **kw)
    assert e.value.field == field and words in e.value.message
    assert counts(engine, store) == before  # no row, no event, no file (not even a temp one)
    tmp = store.root / "tmp"
    assert not tmp.exists() or not any(tmp.iterdir())


def test_an_event_of_another_application_is_refused(desk, engine, settings, store) -> None:  # type: ignore[no-untyped-def]
    first, second = register(desk), register(desk)
    from disclosure.services.lookup import get_application

    with transaction(engine, write=False) as s:
        second_id = get_application(s, second).id
        other = s.exec(
            select(EventRecord).where(
                EventRecord.kind == "received", EventRecord.application_id == second_id
            )
        ).one()
    before = counts(engine, store)
    with pytest.raises(InvalidInput) as e:
        _attach(engine, settings, first, pdf_bytes("x"), event_id=other.id)
    assert e.value.field == "event"
    assert counts(engine, store) == before


def test_cli_refusal_names_the_field_and_stores_nothing(desk, tmp_path, engine, store) -> None:  # type: ignore[no-untyped-def]
    number = register(desk)
    (tmp_path / "report.pdf").write_bytes(b"\x7fELF" + b"\x00" * 100)
    before = counts(engine, store)
    r = desk("attach", number, "report.pdf", "--kind", "other")
    assert r.exit_code == 2 and "文件:" in r.stderr and "可执行程序" in r.stderr
    assert counts(engine, store) == before
    (tmp_path / "扫描件.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\n")  # 13 bytes: no PDF
    r = desk("attach", number, "扫描件.pdf", "--kind", "other")
    assert r.exit_code == 2 and "文件“扫描件.pdf”" in r.stderr and "无法作为 PDF" in r.stderr
    assert counts(engine, store) == before
    (tmp_path / "x.ofd").write_bytes(ofd_bytes())
    r = desk("attach", "2026-99999", "x.ofd", "--kind", "other")
    assert r.exit_code == 4
    assert counts(engine, store) == before


def test_another_applications_document_is_not_found(desk, engine, settings) -> None:  # type: ignore[no-untyped-def]
    from disclosure.casefile.documents import get_document
    from disclosure.services.lookup import get_application

    first, second = register(desk), register(desk)
    doc = _attach(engine, settings, first, pdf_bytes("x"))
    with transaction(engine, write=False) as s:
        other = get_application(s, second)
        with pytest.raises(NotFound):
            get_document(s, doc.id, application_id=other.id)  # type: ignore[arg-type]
