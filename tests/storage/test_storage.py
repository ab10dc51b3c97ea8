"""disclosure.storage: content addressing, limits, and files that follow the transaction."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlmodel import Session, create_engine, text

from disclosure.errors import InvalidInput
from disclosure.storage import FileStore


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "store")


def test_same_bytes_are_stored_once_under_their_digest(store: FileStore) -> None:
    data = "政府信息公开申请表".encode() * 1000
    first = store.put(data)
    second = store.put(data)
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert (first.created, second.created) == (True, False)
    assert first.path == second.path and store.read(first.sha256) == data
    assert list(store.digests()) == [first.sha256]
    assert store.verify(first.sha256)


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(store: FileStore) -> None:
    with pytest.raises(InvalidInput) as exc:
        store.put_stream(io.BytesIO(b"x" * (3 << 20)), max_bytes=2 << 20, field="file")
    assert exc.value.field == "file"
    assert list(store.digests()) == []
    assert list((store.root / "tmp").iterdir()) == []


def test_a_tampered_file_fails_verification(store: FileStore) -> None:
    s = store.put(b"%PDF-1.7 original")
    s.path.write_bytes(b"%PDF-1.7 changed")
    assert not store.verify(s.sha256)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "AB" * 32, "a" * 63])
def test_only_hex_digests_name_files(store: FileStore, bad: str) -> None:
    with pytest.raises(InvalidInput):
        store.path(bad)


def test_rollback_removes_the_files_the_transaction_created(store: FileStore, tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    kept = store.put(b"stored before")
    with Session(engine) as session:
        session.execute(text("select 1"))
        new = store.put(b"new in this transaction", session=session)
        again = store.put(b"stored before", session=session)
        session.rollback()
    assert not new.path.exists()
    assert again.path.exists() and kept.path.exists()  # bytes stored earlier stay


def test_commit_keeps_the_files(store: FileStore, tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with Session(engine) as session:
        s = store.put(b"kept", session=session)
        session.commit()
        session.rollback()  # a later rollback of the same session removes nothing
    assert s.path.exists()


def test_rollback_without_any_sql_still_removes_the_file(store: FileStore, tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with Session(engine) as session:
        s = store.put(b"no statement ran", session=session)
        session.rollback()
    assert not s.path.exists()
