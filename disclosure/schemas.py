"""Validated input models (the `XCreate` side of each entity). Table models never validate."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from disclosure.models import ApplicantType
from disclosure.outcomes import OUTCOMES
from rules.events import Channel


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
            raise ValueError("电子邮箱格式不正确 / invalid e-mail")
        return v


class ReplyCreate(BaseModel):
    outcome: str
    on: date
    note: str = ""

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, v: str) -> str:
        if v not in OUTCOMES:
            raise ValueError(f"未知的答复结果代码 {v}；可用：{', '.join(OUTCOMES)}")
        return v


FIELD_LABELS = {
    "channel": "--channel",
    "received_on": "--received",
    "arrived_on": "--arrived",
    "applicant_name": "--applicant",
    "applicant_type": "--applicant-type",
    "content": "--content",
    "email": "--email",
    "phone": "--phone",
    "id_number": "--id-number",
    "department": "--department",
    "outcome": "--outcome",
}
