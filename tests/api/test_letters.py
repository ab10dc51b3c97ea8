"""Issued letters through the API: the list, and the stored bytes of one."""

from __future__ import annotations

import hashlib

from disclosure.db import transaction
from disclosure.letters.options import LetterOptions
from disclosure.letters.service import issue_letter
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.settings import Settings
from tests.api.conftest import CREATED, Api, Push
from tests.web.conftest import TODAY


def test_list_and_download_the_stored_letter(  # type: ignore[no-untyped-def]
    api: Api, push: Push, platform, settings: Settings
) -> None:
    number = push().json()["number"]
    with transaction(api.engine) as session:
        ctx = Context(load_office(session, settings), TODAY, "clerk", CREATED)
        issued = issue_letter(
            session, ctx=ctx, number=number, kind="receipt", options=LetterOptions()
        )
        issued.render()
    listed = platform.get(f"/applications/{number}/letters")
    assert listed.status_code == 200, listed.text
    (item,) = listed.json()["items"]
    assert item["kind"] == "receipt" and item["sha256"]
    r = platform.get(f"/applications/{number}/letters/{item['id']}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert r.content[:2] == b"PK"
    assert hashlib.sha256(r.content).hexdigest() == item["sha256"]  # the stored bytes
    assert platform.get(f"/applications/{number}/letters/{item['id'] + 1}").status_code == 404
    other = push().json()["number"]  # letter ids belong to their application
    assert platform.get(f"/applications/{other}/letters/{item['id']}").status_code == 404
