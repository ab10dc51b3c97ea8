"""The API's own FastAPI app, mounted by the web app at `/api/v1` (`web.app.create_app`).

Its OpenAPI document is `/api/v1/openapi.json`; `/api/v1/docs` is a plain page listing the
operations from that document (no scripts, nothing loaded from elsewhere: the office's network
may have no internet, and the pages' CSP allows only the server itself).
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from disclosure.api import auth, problems, routes_applications, routes_office, routes_steps
from disclosure.web.state import WebState

PREFIX = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")
ROUTERS = (routes_applications.router, routes_steps.router, routes_office.router)


class Problem(BaseModel):
    """RFC 9457 problem details; `field` is the domain name of the input at fault."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None


PROBLEM = {"model": Problem, "content": {problems.MEDIA_TYPE: {}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**PROBLEM, "description": "缺少或无效的 API 令牌"},
    403: {**PROBLEM, "description": "令牌无权进行此操作"},
    404: {**PROBLEM, "description": "未找到（或不属于令牌的部门）"},
    409: {**PROBLEM, "description": "与已有记录冲突"},
    422: {**PROBLEM, "description": "输入有误，`field` 指明字段"},
    429: {**PROBLEM, "description": "超过令牌的每分钟请求上限（见 Retry-After）"},
}


def create_api(state: WebState) -> FastAPI:
    api = FastAPI(
        title="政府信息公开申请办理 API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        responses=ERRORS,
    )
    api.state.web = state
    problems.install(api)
    auth.install(api)  # route-decided refusals, recorded before the answer
    for router in ROUTERS:
        api.include_router(router)

    @api.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(docs_page(api.openapi()))

    return api


def operations(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(METHOD, path, summary) of every operation of an OpenAPI document."""
    out = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is not None:
                text = (op.get("description") or op.get("summary") or "").strip()
                out.append((method.upper(), path, text.splitlines()[0] if text else ""))
    return out


def docs_page(document: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(m)}</code></td><td><code>{escape(PREFIX + p)}</code></td>"
        f"<td>{escape(s)}</td></tr>"
        for m, p, s in operations(document)
    )
    title = escape(str(document.get("info", {}).get("title", "API")))
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<title>{title}</title><link rel="stylesheet" href="/static/style.css"></head>'
        f"<body><main><h1>{title}</h1>"
        f'<p>接口说明（OpenAPI）：<a href="{PREFIX}/openapi.json">{PREFIX}/openapi.json</a>。'
        "调用时须带请求头 <code>Authorization: Bearer &lt;令牌&gt;</code>"
        "（管理员用 <code>disclosure token add</code> 创建）。出错时返回 RFC 9457 问题详情"
        "（<code>application/problem+json</code>），<code>field</code> 指明出错的字段。</p>"
        f"<table><thead><tr><th>方法</th><th>路径</th><th>说明</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></main></body></html>"
    )
