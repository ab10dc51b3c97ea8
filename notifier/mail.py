"""Rendering a digest (Jinja2 templates an office can override) and sending it.

Two senders share one interface: `SmtpSender` (STARTTLS, implicit TLS or plain, with login)
and `EmlSender` (writes .eml files into the outbox folder when no SMTP host is configured).
Failures are classified once, here: `TemporaryFailure` (retry later) or `PermanentFailure`.

Timeouts follow RFC 5321 section 4.5.3.2: the client waits `[smtp] data_timeout` (10 minutes)
for the reply to the end of DATA, the step where a gateway scans the message and may be slow,
and `[smtp] timeout` (5 minutes) for the greeting and every other command. Giving up on the
reply to DATA too early is what sends duplicates: the server may still accept the message.
Each message carries a Message-ID derived from its outbox rows (`message_id`), so a copy sent
again after a crash in the window between the server's 250 and the database update is the
same message to the recipient's mail system.
"""

from __future__ import annotations

import base64
import copy
import io
import re
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
from typing_extensions import Buffer

from disclosure.settings import Settings, SmtpSettings

EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class DeliveryError(Exception):
    """A message could not be delivered. `str()` is the Chinese text people see (stored as
    the outbox row's `last_error`); `detail` says the same in English for the log."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail or message


class TemporaryFailure(DeliveryError):
    """Connection refused, timeout or a 4xx reply: retry on a later run."""


class PermanentFailure(DeliveryError):
    """A 5xx reply or a malformed address: record it and stop trying."""


@dataclass(frozen=True)
class Digest:
    recipient: str
    subject: str
    text: str
    html: str


def template_env(settings: Settings) -> jinja2.Environment:
    """Templates from `[notifier] template_dir` first, then the built-in ones."""
    loaders: list[jinja2.BaseLoader] = []
    if settings.notifier.template_dir:
        loaders.append(
            jinja2.FileSystemLoader(str(settings.resolve(settings.notifier.template_dir)))
        )
    loaders.append(jinja2.PackageLoader("notifier", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_digest(env: jinja2.Environment, recipient: str, context: dict[str, Any]) -> Digest:
    ctx = {**context, "recipient": recipient}
    subject = " ".join(env.get_template("subject.txt.j2").render(ctx).split())
    return Digest(
        recipient=recipient,
        subject=subject,
        text=env.get_template("digest.txt.j2").render(ctx),
        html=env.get_template("digest.html.j2").render(ctx),
    )


def message_id(first_id: int, last_id: int, rows: int, sender: str) -> str:
    """A Message-ID that names the outbox rows a digest reports: the lowest and highest row
    id and how many rows. The same claim sent twice (a crash after the server's 250, or a
    reply to DATA that came too late) carries the same id, so mail systems and people can
    recognise the copy; a digest with other rows gets another id."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<reminder.{first_id}.{last_id}.{rows}@{domain}>"


def build_message(
    digest: Digest, sender: str, *, now: datetime, timezone: str, msgid: str
) -> EmailMessage:
    """The e-mail of a digest, dated `now` in the office time zone (RFC 5322 allows any
    offset; a reader sees the office's own clock)."""
    msg = EmailMessage()
    msg["Subject"] = digest.subject
    msg["From"] = sender
    msg["To"] = digest.recipient
    msg["Date"] = format_datetime(now.astimezone(ZoneInfo(timezone)))
    msg["Message-ID"] = msgid
    # base64 explicitly: the library's guess looks at the first lines only and picks
    # quoted-printable for the HTML part (its head is ASCII), which triples Chinese text.
    msg.set_content("", charset="utf-8", cte="base64")
    msg.add_alternative("", subtype="html", charset="utf-8", cte="base64")
    text, html = msg.iter_parts()
    text.set_payload(_base64_body(digest.text))
    html.set_payload(_base64_body(digest.html))
    return msg


def _base64_body(text: str) -> str:
    """The body `set_content(text, charset="utf-8", cte="base64")` makes under
    `email.policy.default`, the policy of `EmailMessage()` (the UTF-8 lines joined by its
    `linesep` "\n" and ended by one, as base64 in lines of 76 characters, its
    `max_line_length` 78 // 4 * 3 bytes each), in one call instead of one per line: the
    headers come from `set_content`, the body from here (tests/notifier/test_mail_wire.py)."""
    return base64.encodebytes(b"\n".join(text.encode("utf-8").splitlines()) + b"\n").decode()


_NEWLINES = re.compile(r"\r\n|\r|\n")  # what the generator writes its line ends for


def wire_bytes(msg: EmailMessage) -> bytes:
    """`msg` as `smtplib.SMTP.send_message` puts it on the wire (its `BytesGenerator`, CRLF,
    no Bcc), the same bytes, faster: the generator writes a body line by line (two calls per
    76 characters of base64, a second per 40 MB), so each base64 body is flattened as a
    placeholder and put in afterwards, its line ends converted in one call."""
    flat_msg = copy.copy(msg)  # what send_message does; the parts are shared
    del flat_msg["Bcc"]
    del flat_msg["Resent-Bcc"]
    bodies: list[tuple[Any, str, str]] = []  # (part, its body, its placeholder)
    for part in flat_msg.walk():
        body = part.get_payload()
        if (
            isinstance(body, str)
            and str(part.get("Content-Transfer-Encoding", "")).lower() == "base64"
            and body.isascii()
            and " " not in body  # base64: nothing for `mangle_from_` ("From ") to change
        ):
            bodies.append((part, body, f"[body-{len(bodies)}-{secrets.token_hex(8)}]"))
    try:
        for part, _, placeholder in bodies:
            part.set_payload(placeholder)
        with io.BytesIO() as out:
            BytesGenerator(out).flatten(flat_msg, linesep="\r\n")
            flat = out.getvalue()
    finally:
        for part, body, _ in bodies:
            part.set_payload(body)
    for _, body, placeholder in bodies:
        lines = body.replace("\n", "\r\n") if "\r" not in body else _NEWLINES.sub("\r\n", body)
        crlf = lines.encode("ascii")
        flat = flat.replace(placeholder.encode("ascii"), crlf, 1)
    return flat


class Sender(Protocol):
    def send(self, msg: EmailMessage, recipient: str) -> None: ...
    def close(self) -> None: ...
    def describe(self) -> str: ...


def check_address(address: str) -> None:
    if not EMAIL_RE.match(address):
        raise PermanentFailure(f"邮箱地址格式不正确：{address!r}", f"malformed address {address!r}")


def _classify(code: int, text: bytes | str) -> DeliveryError:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    message = f"{code} {text}".strip()
    detail = f"server replied {message}"
    if 400 <= code < 500:
        return TemporaryFailure(message, detail)
    return PermanentFailure(message, detail)


class _DataTimeout:
    """Waits `data_timeout` seconds, not the command timeout, for the reply to the end of
    DATA: the timeout changes after the message's final ".", sent by `smtplib.SMTP.data`
    through the public `send` method, and is restored when `data` returns."""

    data_timeout: float
    timeout: float
    sock: Any

    def send(self, s: Buffer | str) -> None:
        super().send(s)  # type: ignore[misc]
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n") and self.sock is not None:
            self.sock.settimeout(self.data_timeout)

    def data(self, msg: Buffer | str) -> tuple[int, bytes]:
        try:
            return super().data(msg)  # type: ignore[misc,no-any-return]
        finally:
            if self.sock is not None:
                self.sock.settimeout(self.timeout)


class _SMTP(_DataTimeout, smtplib.SMTP):
    def __init__(self, host: str, port: int, *, timeout: float, data_timeout: float) -> None:
        self.data_timeout = data_timeout
        super().__init__(host, port, timeout=timeout)


class _SMTPSSL(_DataTimeout, smtplib.SMTP_SSL):
    def __init__(
        self, host: str, port: int, *, timeout: float, data_timeout: float, context: ssl.SSLContext
    ) -> None:
        self.data_timeout = data_timeout
        super().__init__(host, port, timeout=timeout, context=context)


class SmtpSender:
    """One connection per run, opened on first use, reused for every recipient."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.cfg = smtp
        self._conn: smtplib.SMTP | None = None
        self.unreachable = False  # set when connecting failed: stop trying in this run

    def describe(self) -> str:
        return f"smtp://{self.cfg.host}:{self.cfg.port} ({self.cfg.security})"

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        try:
            if cfg.security == "tls":
                conn: smtplib.SMTP = _SMTPSSL(
                    cfg.host,
                    cfg.port,
                    timeout=cfg.timeout,
                    data_timeout=cfg.data_timeout,
                    context=ssl.create_default_context(),
                )
            else:
                conn = _SMTP(cfg.host, cfg.port, timeout=cfg.timeout, data_timeout=cfg.data_timeout)
            try:
                if cfg.security == "starttls":
                    conn.starttls(context=ssl.create_default_context())
                if cfg.username:
                    conn.login(cfg.username, cfg.resolved_password())
            except BaseException:
                conn.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            # A configuration problem, not the message's: keep the items for a later run.
            raise TemporaryFailure(
                f"邮件服务器登录失败：{exc.smtp_code}", f"login failed: {exc.smtp_code}"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, exc.smtp_error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(
                f"无法连接邮件服务器：{_reason(exc)}", f"cannot connect: {exc!r}"
            ) from exc
        return conn

    def send(self, msg: EmailMessage, recipient: str) -> None:
        check_address(recipient)
        if self._conn is None:
            try:
                self._conn = self._connect()
            except TemporaryFailure:
                self.unreachable = True
                raise
        try:
            refused = self._send(self._conn, msg, recipient)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _classify(code, text) from exc
        except smtplib.SMTPResponseException as exc:
            self._drop_if_broken(exc.smtp_code)
            raise _classify(exc.smtp_code, exc.smtp_error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._abort()  # no QUIT on a broken or timed-out connection: it would wait again
            lost = f"connection lost: {exc!r}"
            raise TemporaryFailure(f"发送中断：{_reason(exc)}", lost) from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise _classify(code, text)

    def _send(self, conn: smtplib.SMTP, msg: EmailMessage, recipient: str) -> dict[str, Any]:
        sender = self.cfg.sender
        if not (sender + recipient).isascii():  # SMTPUTF8: smtplib's own serialization
            return conn.send_message(msg, from_addr=sender, to_addrs=[recipient])
        return conn.sendmail(sender, [recipient], wire_bytes(msg))

    def _drop_if_broken(self, code: int) -> None:
        if code in (421, -1):
            self.close()
        elif self._conn is not None:
            try:
                self._conn.rset()
            except (OSError, smtplib.SMTPException):
                self.close()

    def _abort(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (OSError, smtplib.SMTPException):
                self._conn.close()
            self._conn = None


def _reason(exc: BaseException) -> str:
    """A short reason for a network failure (timeouts say so: Python's message is empty)."""
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return "等待邮件服务器应答超时"  # smtplib turns a timeout into SMTPServerDisconnected
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "邮件服务器断开了连接"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝"
    return str(exc) or type(exc).__name__


class EmlSender:
    """Writes each message as an .eml file (the embedded default: no SMTP host)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def describe(self) -> str:
        return str(self.folder)

    def send(self, msg: EmailMessage, recipient: str) -> None:
        check_address(recipient)
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = msg["Message-ID"].strip("<>").split("@")[0]
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", recipient)
        path = self.folder / f"{stamp}-{safe}.eml"
        path.write_bytes(msg.as_bytes())
        self.written.append(path)

    def close(self) -> None:
        pass


def make_sender(settings: Settings) -> Sender:
    if settings.smtp.host:
        return SmtpSender(settings.smtp)
    return EmlSender(settings.resolve(settings.notifier.outbox_dir))
