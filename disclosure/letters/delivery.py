"""How a letter is delivered, as its 附注 says (rulebook §9.2, Practice): one suggestion for the
CLI and the web letter form alike."""

from __future__ import annotations

from disclosure.letters.kinds import LetterKind
from disclosure.models import Application
from disclosure.vocabulary import Channel, ServiceMethod


def suggested(app: Application, kind: LetterKind | None = None) -> str:
    """The service method the application itself points to, "" when it points to none (the
    office's usual way, `[letters] delivery`, then applies): by e-mail when the applicant asked
    for it, on the platform for an online application, and the receipt of an application
    handed in at the counter is handed over there (直接送达)."""
    wanted = app.form_wanted or ""
    if "邮件" in wanted or "邮箱" in wanted:
        return ServiceMethod.EMAIL.label
    if app.channel == Channel.ONLINE.value:
        return ServiceMethod.PLATFORM.label
    if kind is LetterKind.RECEIPT and app.channel == Channel.IN_PERSON.value:
        return ServiceMethod.DIRECT.label
    return ""


__all__ = ["suggested"]
