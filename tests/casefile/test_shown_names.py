"""The case file names people by display name: the batched lookup, and the archive's cover
(经办人) and 办理经过 (记录人) read back from the PDF the CLI writes, while the records keep
the username."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from sqlmodel import select

from disclosure.casefile.models import Document
from disclosure.db import transaction
from disclosure.models import EventRecord
from disclosure.people import accounts as names
from disclosure.services.users import create_user
from tests.casefile.conftest import pdf_bytes, register
from tests.conftest import NOW

PASSWORD = "correct-horse-1"


def _user(engine: Engine, username: str, display_name: str = "") -> None:
    with transaction(engine) as session:
        create_user(
            session,
            username=username,
            password=PASSWORD,
            role="clerk",
            display_name=display_name,
            now=NOW,
        )


def test_shown_names_maps_many_usernames_in_batches(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user(engine, "wangfang", "王芳")
    _user(engine, "lisi")  # no display name: shown by the username
    _user(engine, "zhaoliu", "赵六")
    monkeypatch.setattr(names, "NAMES_BATCH", 2)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if "FROM user" in statement.replace('"', ""):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with transaction(engine, write=False) as session:
            got = names.shown_names(
                session, iter(["wangfang", "lisi", "", "system", "wangfang", "zhaoliu"])
            )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert got == {
        "wangfang": "王芳",
        "lisi": "lisi",
        "zhaoliu": "赵六",
        "system": "system",  # not an account: the actor as recorded
        "": "",
    }
    assert len(statements) == 2  # four distinct usernames, two to a query


def _text(pdf: Path, first: int, last: int) -> str:
    args = ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_archive_cover_and_log_name_the_person(  # type: ignore[no-untyped-def]
    desk, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user(engine, "wangfang", "王芳")
    monkeypatch.setenv("DISCLOSURE_ACTOR", "wangfang")
    number = register(desk)
    (tmp_path / "form.pdf").write_bytes(pdf_bytes("FORM"))
    desk.ok("attach", number, "form.pdf", "--kind", "application_form", "--today", "2026-03-02")
    desk.ok("reply", number, "--outcome", "1", "--date", "2026-03-20", "--today", "2026-03-20")
    out = tmp_path / "case.pdf"
    desk.ok("archive", number, "--out", str(out), "--today", "2026-03-25")

    cover = _text(out, 1, 1)
    line = next(ln for ln in cover.splitlines() if "经办人" in ln)
    assert "王芳" in line, cover
    assert "wangfang" not in cover
    toc = _text(out, 2, 2)
    log_page = int(next(ln for ln in toc.splitlines() if "办理经过" in ln).split()[-1])
    log = _text(out, log_page, log_page)
    assert "记录人" in log and "王芳" in log, log
    assert "wangfang" not in log
    # the records still name the login; every line of the log names the person
    with transaction(engine, write=False) as session:
        actors = [r.actor for r in session.exec(select(EventRecord))]
        assert set(actors) == {"wangfang"}
        assert log.count("王芳") == len(actors) - 1  # all but the CASE_ARCHIVED event itself
        assert [d.uploaded_by for d in session.exec(select(Document))] == ["wangfang"]
