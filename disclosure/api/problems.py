"""Errors of the API as problem details (RFC 9457): `type`, `title`, `status`, `detail`, and
`field`, the domain name of the input at fault (`received`, `on`, `days`, …).

These handlers belong to the API's own app (`api.app.create_api`); the web pages keep theirs
(`disclosure.web.errors`). Every error is raised before the transaction commits, so an
answer of 4xx means nothing was written.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from disclosure.api.rate import RateLimited
from disclosure.errors import DisclosureError, InvalidInput
from rules.errors import RulesError

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:disclosure:problem:"

# The API's names for the domain's fields where an adapter it reuses names them otherwise:
# the web actions read a step's date from `date` (the API's JSON says `on`).
API_FIELDS = {"date": "on", "NUMBER": "number", "FILE": "file"}

TITLES = {
    400: "请求有误",
    401: "未认证",
    403: "无权操作",
    404: "未找到",
    405: "不支持该方法",
    409: "操作冲突",
    413: "请求内容过大",
    422: "输入有误",
    429: "请求过于频繁",
    500: "系统配置错误",
    503: "系统繁忙",
}
KINDS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid-input",
    429: "rate-limited",
    500: "configuration",
    503: "busy",
}


class Unauthorized(Exception):
    """No valid bearer token: 401 with `WWW-Authenticate: Bearer`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def api_field(field: str) -> str:
    """The API's (domain) name for an error's field ('' for the request as a whole)."""
    if field in API_FIELDS:
        return API_FIELDS[field]
    return field.lstrip("-").replace("-", "_")


def problem(
    status: int, detail: str, *, field: str = "", headers: dict[str, str] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + KINDS.get(status, "error"),
        "title": TITLES.get(status, "出错了"),
        "status": status,
        "detail": detail,
    }
    if field:
        body["field"] = api_field(field)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def status_of(exc: DisclosureError) -> int:
    """Bad input is 422 (the request was understood, its content is not acceptable)."""
    return 422 if isinstance(exc, InvalidInput) else exc.http_status


def _validation_field(error: dict[str, Any]) -> str:
    loc = [str(x) for x in error.get("loc", ()) if x not in ("body", "query", "path")]
    return loc[0] if loc else ""


def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "必须填写"
    if kind == "extra_forbidden":
        return "没有这个字段"
    if kind == "json_invalid":
        return "请求内容不是有效的 JSON"
    if kind in ("model_attributes_type", "dict_type"):
        return "请求内容应为 JSON 对象"
    if kind.startswith("int") or kind.startswith("string") or kind.startswith("list"):
        return f"类型不正确：{error.get('msg', '')}"
    return str(error.get("msg", "输入无效"))


def install(api: FastAPI) -> None:
    @api.exception_handler(Unauthorized)
    async def _unauthorized(_r: Request, exc: Unauthorized) -> JSONResponse:
        return problem(401, exc.message, headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(RateLimited)
    async def _limited(_r: Request, exc: RateLimited) -> JSONResponse:
        return problem(429, exc.message, headers={"Retry-After": str(exc.retry_after)})

    @api.exception_handler(DisclosureError)
    async def _domain(_r: Request, exc: DisclosureError) -> JSONResponse:
        return problem(status_of(exc), exc.message, field=exc.field)

    @api.exception_handler(RulesError)
    async def _rules(_r: Request, exc: RulesError) -> JSONResponse:
        return problem(422, exc.message, field=exc.field)

    @api.exception_handler(RequestValidationError)
    async def _validation(_r: Request, exc: RequestValidationError) -> JSONResponse:
        first: dict[str, Any] = dict(exc.errors()[0]) if exc.errors() else {}
        field = _validation_field(first)
        if first.get("type") == "json_invalid":
            field = ""
        return problem(422, _validation_message(first), field=field)

    @api.exception_handler(StarletteHTTPException)
    async def _http(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = "没有该接口" if exc.status_code == 404 else str(exc.detail)
        return problem(exc.status_code, detail, headers=dict(exc.headers or {}))
