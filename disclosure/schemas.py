"""Validated input models (the `XCreate` side of each entity). Table models never validate."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from disclosure.errors import InvalidInput
from disclosure.people.id_documents import check_credit_code, check_id_number
from disclosure.phone import check_phone
from disclosure.textinput import NOTE_MAX, clean_text, email_problem, iso_date
from disclosure.vocabulary import ApplicantType, Channel, Labelled

# The registration's fields that may hold several lines (the rest are single lines).
MULTILINE = frozenset({"content", "address", "note"})


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
    credit_code: str = Field(default="", max_length=40)  # organisations (disclosure.people)
    form_wanted: str = Field(default="", max_length=100)
    department: str | None = None  # lead department code
    cooperating: list[str] = Field(default_factory=list)
    case_type: str = Field(default="", max_length=64)
    note: str = Field(default="", max_length=NOTE_MAX)

    @field_validator("received_on", "arrived_on", mode="before")
    @classmethod
    def _strict_date(cls, v: Any, info: ValidationInfo) -> Any:
        """Typed dates strictly YYYY-MM-DD (disclosure.textinput), not 20261125 or 2026-W45-1."""
        if isinstance(v, str) and v.strip():
            return iso_date(v, DOMAIN_NAMES.get(info.field_name or "", info.field_name or ""))
        return v

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, v: Any, info: ValidationInfo) -> Any:
        """One rule for every text field (disclosure.textinput): no control characters."""
        if type(v) is str:  # plain text, not an enum member (a StrEnum is a str too)
            name = info.field_name or ""
            field = DOMAIN_NAMES.get(name, name)
            return clean_text(v, field, max_len=len(v) + 1, multiline=name in MULTILINE)
        return v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        problem = email_problem(v) if v else None
        if problem is not None:
            raise ValueError(problem)
        return v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        """Telephone numbers as offices write them (disclosure.phone); input only: a stored
        row is read without this model."""
        return check_phone(v, field="phone")

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, v: str, info: ValidationInfo) -> str:
        """Checked by the document the applicant type implies (disclosure.people.id_documents)."""
        kind = info.data.get("applicant_type")
        if kind is None:  # the applicant type is wrong: its own error is reported
            return v
        return check_id_number(v, natural=kind is ApplicantType.NATURAL)

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, v: str) -> str:
        return check_credit_code(v)


# The domain's names for the fields whose attribute names differ (errors name the domain
# field; each edge maps it to its own name: CLI option, form field, ledger column).
DOMAIN_NAMES = {
    "received_on": "received",
    "arrived_on": "arrived",
    "applicant_name": "applicant",
    "form_wanted": "form",
}


def _message(error: Any, model: type[BaseModel]) -> str:
    """A Chinese message for one pydantic error."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "enum":
        field = model.model_fields.get(str(error["loc"][0])) if error["loc"] else None
        kind_of = field.annotation if field else None
        if isinstance(kind_of, type) and issubclass(kind_of, Labelled):
            return f"取值应为 {kind_of.choices()}"  # each code with its Chinese label
        return f"取值应为 {ctx.get('expected', '')}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return f"过长，最多 {ctx.get('max_length')} 个字符"
    if kind == "missing":
        return "必须填写"
    return str(error["msg"]).removeprefix("Value error, ")


def validation_error(
    exc: ValidationError,
    model: type[BaseModel] = ApplicationCreate,
    among: Collection[str] | None = None,
) -> InvalidInput:
    """The first pydantic error (the first about one of the fields `among`, when given) as an
    `InvalidInput` naming the domain field."""
    errors = exc.errors()
    first = next((e for e in errors if e["loc"] and str(e["loc"][0]) in (among or ())), errors[0])
    key = str(first["loc"][0]) if first["loc"] else ""
    return InvalidInput(_message(first, model), field=DOMAIN_NAMES.get(key, key))
