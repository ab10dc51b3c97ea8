"""Validated input models (the `XCreate` side of each entity). Table models never validate."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from disclosure.errors import InvalidInput
from disclosure.vocabulary import ApplicantType, Channel


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    channel: Channel
    received_on: date | None = None  # legal receipt date; None = arrival not yet confirmed
    arrived_on: date | None = None
    applicant_name: str = Field(min_length=1, max_length=200)
    applicant_type: ApplicantType
    content: str = Field(min_length=1, max_length=20000)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    address: str = Field(default="", max_length=300)
    id_number: str = Field(default="", max_length=64)
    form_wanted: str = Field(default="", max_length=100)
    department: str | None = None  # lead department code
    cooperating: list[str] = Field(default_factory=list)
    case_type: str = ""
    note: str = ""

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        if v and ("@" not in v or v.startswith("@") or v.endswith("@") or " " in v):
            raise ValueError("电子邮箱格式不正确")
        return v


# The domain's names for the fields whose attribute names differ (errors name the domain
# field; each edge maps it to its own name: CLI option, form field, ledger column).
DOMAIN_NAMES = {
    "received_on": "received",
    "arrived_on": "arrived",
    "applicant_name": "applicant",
    "form_wanted": "form",
}


def _message(error: Any) -> str:
    """A Chinese message for one pydantic error."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "enum":
        return f"取值应为 {ctx.get('expected', '')}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return f"过长，最多 {ctx.get('max_length')} 个字符"
    if kind == "missing":
        return "必须填写"
    return str(error["msg"]).removeprefix("Value error, ")


def validation_error(exc: ValidationError) -> InvalidInput:
    """The first pydantic error as an `InvalidInput` naming the domain field."""
    first = exc.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else ""
    return InvalidInput(_message(first), field=DOMAIN_NAMES.get(key, key))
