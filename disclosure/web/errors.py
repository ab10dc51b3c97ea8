"""The one place where domain errors become HTTP responses.

- A route that shows a form sets `request.state.rerender(errors)`; an `InvalidInput` or
  `Conflict` then re-renders that form with the message beside the field it names.
- `NotFound` → 404 page, `PermissionDenied` → 403 page, anything else → its `http_status`.
- No signed-in user → redirect to the login page; a one-time password → the password page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from disclosure.errors import Conflict, DisclosureError, InvalidInput
from disclosure.web.deps import PASSWORD_PAGE, LoginRequired, PasswordChangeRequired
from disclosure.web.render import render
from rules.errors import RulesError

# The web's names for the domain's fields where the form input is named differently (the
# one map of this edge): the date of a step is the input `date`; the application number is
# the page itself (shown at the top of the form); the letter form's lists are one text area
# each, a line per entry, where the CLI repeats the option (`--item`, `--attachment`).
WEB_FIELDS = {
    "on": "date",
    "revert_to": "to",
    "number": "",
    "NUMBER": "",
    "FILE": "file",
    "--item": "items",
    "--attachment": "attachments",
}

TITLES = {400: "输入有误", 403: "无权访问", 404: "未找到", 409: "操作冲突", 500: "系统配置错误",
          503: "系统繁忙"}  # fmt: skip


def form_field(field: str) -> str:
    """The form input a domain field is entered in ('' for the whole form).

    Names still in CLI form (`--applicant-type`) are read as their domain name.
    """
    if field in WEB_FIELDS:
        return WEB_FIELDS[field]
    return field.lstrip("-").replace("-", "_")


def error_page(request: Request, status: int, message: str) -> Response:
    title = TITLES.get(status, "出错了")
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status
    )


def _domain(request: Request, exc: DisclosureError) -> Response:
    rerender: Callable[[dict[str, str], int], Response] | None = getattr(
        request.state, "rerender", None
    )
    if rerender is not None and isinstance(exc, InvalidInput | Conflict):
        key = form_field(exc.field) or "_form"
        return rerender({key: exc.message}, exc.http_status)
    return error_page(request, exc.http_status, exc.message)


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def _password(_request: Request, _exc: PasswordChangeRequired) -> Response:
        return RedirectResponse(PASSWORD_PAGE, status_code=303)

    @app.exception_handler(DisclosureError)
    async def _disclosure(request: Request, exc: DisclosureError) -> Response:
        return _domain(request, exc)

    @app.exception_handler(RulesError)
    async def _rules(request: Request, exc: RulesError) -> Response:
        return _domain(request, InvalidInput(exc.message, field=exc.field))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return error_page(request, 400, f"参数 {where} 无效")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = "页面不存在" if exc.status_code == 404 else str(exc.detail)
        response = error_page(request, exc.status_code, message)
        response.headers.update(exc.headers or {})
        return response
