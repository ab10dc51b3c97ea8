"""Adding a department is audited (新增部门), from the command line and the web alike, in
the transaction that adds it; a refused addition writes neither the row nor an entry."""

from __future__ import annotations

import json

from sqlmodel import select

from disclosure.db import transaction
from disclosure.ops.models import AuditEntry
from tests.web.conftest import (  # noqa: F401  (fixtures)
    cheap_hashes,
    client_for,
    post_form,
    users,
    web_app,
)


def _created(engine) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with transaction(engine, write=False) as session:
        stmt = select(AuditEntry).where(AuditEntry.action == "department_created")
        return list(session.exec(stmt).all())


def test_cli_department_add_writes_its_audit_entry(cli):  # type: ignore[no-untyped-def]
    r = cli("department", "add", "--code", "fgc", "--name", "政策法规二处", "--contact", "李四")
    assert r.exit_code == 0, r.stderr
    listed = cli("audit", "list", "--action", "department_created", "--json")
    assert listed.exit_code == 0, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert entry["actor"] == "tester" and entry["target"] == "fgc"
    assert entry["details"] == {"name": "政策法规二处"}
    assert entry["via"] == "cli"
    refused = cli("department", "add", "--code", "fgc", "--name", "又一处")  # code taken
    assert refused.exit_code == 2
    again = cli("audit", "list", "--action", "department_created", "--json")
    assert len(json.loads(again.stdout)) == 1


def test_web_department_add_writes_one_audit_entry(client_for, engine):  # type: ignore[no-untyped-def]  # noqa: F811
    admin = client_for("admin")
    page = "/admin/departments"
    r = post_form(admin, page, page, {"code": "fgc", "name": "政策法规二处"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    [entry] = _created(engine)  # one entry, not one from the route and one from the service
    assert (entry.actor, entry.target, entry.details) == ("admin", "fgc", {"name": "政策法规二处"})
    assert entry.via == "web" and entry.address
    bad = post_form(admin, page, page, {"code": "fgc2", "name": "政策法规二处"})  # name taken
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert len(_created(engine)) == 1
