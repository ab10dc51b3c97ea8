"""The OpenAPI document served at /api/v1/openapi.json matches the API's routes, and the local
documentation page lists every operation without loading anything from elsewhere."""

from __future__ import annotations

import re

import httpx2 as httpx
from fastapi.routing import APIRoute

from disclosure.api.app import ROUTERS, operations
from disclosure.api.routes_steps import STEP_NAMES
from disclosure.web.actions import ACTIONS
from tests.api.conftest import API, Api


def _document(api: Api) -> dict:  # type: ignore[type-arg]
    """The document as the running server serves it."""
    served = httpx.get(api.base + API + "/openapi.json")
    assert served.status_code == 200 and served.headers["content-type"] == "application/json"
    return served.json()  # type: ignore[no-any-return]


def _routes() -> set[tuple[str, str]]:
    """(METHOD, path) of every route of the routers the API app includes."""
    return {
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in route.methods
    }


def test_every_route_is_in_the_served_document_and_nothing_else(api: Api) -> None:
    documented = {(m, p) for m, p, _summary in operations(_document(api))}
    assert len(documented) >= 8
    assert documented == _routes()


def test_every_documented_operation_is_served(api: Api) -> None:
    """Each operation of the document reaches a route: without a token it is answered 401
    by that route, where a path the API does not have is answered 404."""
    for method, path, _summary in operations(_document(api)):
        url = api.base + API + re.sub(r"\{[a-z_]+\}", "1", path)
        r = httpx.request(method, url, json={} if method == "POST" else None)
        assert r.status_code == 401, (method, path, r.status_code, r.text)
    assert httpx.get(api.base + API + "/nothing").status_code == 404


def test_the_document_describes_bodies_errors_and_the_bearer_scheme(api: Api) -> None:
    document = _document(api)
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    post = document["paths"]["/applications"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    props = document["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]
    for name in ("channel", "received", "arrived", "applicant", "applicant_type", "content",
                 "email", "phone", "id_number", "department", "external_ref"):  # fmt: skip
        assert name in props, name
    for status in ("401", "403", "404", "409", "422"):
        assert status in post["responses"], status


def test_docs_page_is_local_and_lists_every_operation(api: Api) -> None:
    page = httpx.get(api.base + API + "/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)  # nothing from elsewhere
    for method, path, _summary in operations(_document(api)):
        assert f"<code>{method}</code></td><td><code>{API}{path}</code>" in page.text


def test_the_api_records_every_step_the_web_records_and_the_clis_extra_ones() -> None:
    assert set(STEP_NAMES) == {*ACTIONS, "note", "archive"}
