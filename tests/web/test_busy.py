"""A registration while another process holds the write lock: a 503 page after the busy
timeout, with one Chinese line, nothing written; the list page still answers."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, make_url, select

from disclosure.db import make_engine, transaction
from disclosure.models import Application
from disclosure.web.app import create_app
from tests.web.conftest import PASSWORD, TODAY, csrf_of


def test_registration_during_a_long_write_answers_503(settings, users, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("the SQLite write lock")
    settings.database.busy_timeout = 0.5
    settings.web.secret_key = "test-secret-key"
    engine = make_engine(settings)
    client = TestClient(create_app(settings, engine, today=lambda: TODAY), follow_redirects=False)
    try:
        page = client.get("/login")
        data = {"username": "clerk", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
        assert client.post("/login", data=data).status_code == 303
        form = client.get("/applications/new")
        lock = sqlite3.connect(make_url(db_url).database or "", isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # an import writing
        try:
            assert client.get("/applications").status_code == 200  # readers do not wait
            r = client.post(
                "/applications/new",
                data={"channel": "in_person", "received": "2026-03-02", "applicant": "张三",
                      "applicant_type": "natural", "content": "某文件",
                      "csrf_token": csrf_of(form.text)},
            )  # fmt: skip
        finally:
            lock.rollback()
            lock.close()
        assert r.status_code == 503 and "登记簿正忙" in r.text
        with transaction(engine, write=False) as s:
            assert s.execute(select(func.count()).select_from(Application)).scalar_one() == 0
    finally:
        client.close()
        engine.dispose()
