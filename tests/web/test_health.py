"""`/healthz` answers without a sign-in and without touching the database."""

from __future__ import annotations

from sqlalchemy import event


def test_healthz_answers_anonymously_without_a_query(client_for, engine):  # type: ignore[no-untyped-def]
    statements: list[str] = []
    client = client_for(None)
    client.get("/login")  # the app is up; its start-up queries are behind us

    def seen(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        r = client.get("/healthz")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert r.status_code == 200 and r.text == "ok"
    assert statements == []
    assert client.get("/applications").status_code in (303, 307)  # pages still need a sign-in
