"""The 出具文书 form on the application page: which fields each letter kind and the recorded
reply outcome need, and the clerk's entries as the `LetterOptions` `disclosure letter` builds.

Which reply fields a recorded outcome needs is read from the reply's own paragraphs
(`disclosure.letters.replies.DECISIONS`): a field shows for the variants whose paragraph
uses it (`{where}` only for 1 已主动公开, `{withheld}` for every 2, …). The fields carry
`data-when` conditions that app.js applies (see there); without JavaScript every field shows,
its label saying when it applies. A new reply letter is checked here before anything is
written, every problem at once, so that the letter never prints a default the clerk did not
choose (the variant) nor "见附件" without an 附件 line.
"""

from __future__ import annotations

import re
from typing import Any

from disclosure.errors import DisclosureError
from disclosure.letters.delivery import suggested as suggested_delivery
from disclosure.letters.kinds import LetterKind
from disclosure.letters.options import LetterOptions
from disclosure.letters.replies import DECISIONS
from disclosure.models import Application
from disclosure.outcomes import VARIANTS
from disclosure.textinput import LINE_MAX, NOTE_MAX, clean_text, iso_date
from disclosure.vocabulary import ReplyVariant, ServiceMethod
from disclosure.web.forms import optional_int

REPLY = LetterKind.REPLY.value
ATTACHED = "见附件"  # a paragraph saying so needs the letter's 附件 line


def _kinds(*kinds: LetterKind) -> str:
    return "kind:" + " ".join(k.value for k in kinds)


# Fields of other kinds than the reply (`data-when` conditions, see app.js).
WHEN = {
    "items": _kinds(LetterKind.CORRECTION),
    "party": _kinds(
        LetterKind.CONSULTATION,
        LetterKind.CONSULTATION_AGENCY,
        LetterKind.DISCLOSE_NOTICE,
        LetterKind.COOPERATION,
    ),
    "for_letter": _kinds(LetterKind.SERVICE_RECEIPT),
    "due": _kinds(LetterKind.ART35, LetterKind.DEFERRED),
    "fee": _kinds(LetterKind.FEE),  # the basis of a fee recorded with its amount only
    "reply": _kinds(LetterKind.REPLY),
}


def _using(code: str, *names: str) -> list[str]:
    """The variants of outcome `code` ("" when it has none) whose paragraphs use a name."""
    marks = ["{" + n + "}" for n in names]
    return [
        v
        for (c, v), paras in DECISIONS.items()
        if c == code and any(m in p for p in paras for m in marks)
    ]


def _when(code: str, names: tuple[str, ...], also: str = "") -> str:
    """The `data-when` of a reply field: the reply kind, and the variants that use it;
    `also`: another kind's condition ("|" = or). "" when nothing uses it."""
    groups = []
    using = _using(code, *names) if code else []
    if using:
        if set(using) == set(VARIANTS.get(code, ())) or using == [""]:
            groups.append(WHEN["reply"])
        else:
            groups.append(WHEN["reply"] + ";variant:" + " ".join(using))
    if also:
        groups.append(also)
    return "|".join(groups)


def delivery_choices(default: str) -> list[str]:
    """The office's default (`[letters] delivery`) first, then the service methods."""
    return list(dict.fromkeys([default, *(m.label for m in ServiceMethod)]))


def form_context(
    app: Application, default_delivery: str, signed_reasons: str = ""
) -> dict[str, Any]:
    """What the letter form shows for `app`: the recorded outcome's variants and fields; the
    reasons of the approved reply draft (拟办意见) fill the reasons box to begin with."""
    code = app.outcome or ""
    variants = VARIANTS.get(code, ())
    disclose = _kinds(LetterKind.DISCLOSE_NOTICE)
    return {
        "outcome": code,
        "variants": [(v, ReplyVariant(v).label) for v in variants],
        "when": WHEN
        | {
            "variant": WHEN["reply"] if variants else "",
            "withheld": _when(code, ("withheld",)),
            "where": _when(code, ("where",)),
            "reasons": _when(code, ("reasons", "search"), also=disclose),
            "agency": _when(code, ("agency",)),
        },
        "search": code == "4.1",  # the reasons of 4.1 不存在 are the search made
        "default_delivery": default_delivery,
        "deliveries": delivery_choices(default_delivery)[1:],
        "delivery": suggested_delivery(app),  # the kind is chosen in the form
        # handed in at the counter: the default is direct for the receipt (letters.delivery)
        "handed_in": suggested_delivery(app, LetterKind.RECEIPT) == ServiceMethod.DIRECT.label,
        "defaults": {"reasons": signed_reasons},
    }


def _lines(fields: dict[str, str], name: str) -> tuple[str, ...]:
    text = clean_text(fields.get(name, ""), name, max_len=NOTE_MAX, multiline=True)
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _line(fields: dict[str, str], name: str, max_len: int = LINE_MAX) -> str:
    return clean_text(fields.get(name, "").strip(), name, max_len=max_len)


def _date(fields: dict[str, str], name: str) -> Any:
    value = fields.get(name, "").strip()
    return iso_date(value, name) if value else None


def letter_options(fields: dict[str, str]) -> LetterOptions:
    """The clerk's entries as `disclosure letter`'s options (`--date`, `--variant`, …)."""
    return LetterOptions(
        on=_date(fields, "date"),
        due=_date(fields, "due"),
        party=_line(fields, "party") or None,
        for_letter=_line(fields, "for_letter"),
        items=_lines(fields, "items"),
        note=_line(fields, "note", NOTE_MAX),
        responsible_agency=_line(fields, "responsible_agency"),
        contact=_line(fields, "contact"),
        attachments=_lines(fields, "attachments"),
        delivery=_line(fields, "delivery"),
        variant_code=_line(fields, "variant"),
        withheld=_line(fields, "withheld", NOTE_MAX),
        reasons=_line(fields, "reasons", NOTE_MAX),
        where=_line(fields, "where", NOTE_MAX),
        pages=optional_int(fields.get("pages"), "pages", minimum=1),
        nth=optional_int(fields.get("nth"), "nth", minimum=1),
    )


# The letters layer words its errors for `disclosure letter`: its options and commands. The
# form says the same with its own fields' names and buttons (what the web can reach: the
# form passes none of --days, --amount, --served …).
_WEB_WORDS = (
    (r"disclosure letter correct \S+ --reference \S+ --correction-reason 理由", "该文书的“更正”"),
    (r"请提供 --reason correction\|fee", "请先在“办理操作”中记录“视为放弃”"),
    (
        r"disclosure attach \S+ 文件 --kind other --event \d+",
        "在“案卷材料”中上传，所属事项选该步骤",
    ),
    (
        r"^须指定延长的工作日数$",
        "尚未记录延期答复：请先在“办理操作”中记录延期，再出具延期答复告知书",
    ),
    (r"--pages 与 --nth", "页数与本月第几件申请"),
    (r"（--pages，", "（"),
    (r"（--nth，", "（"),
    (r"--pages", "页数"),
    (r"--nth", "本月第几件申请"),
    (r"--date", "文书日期"),
    (r"--due", "期限"),
    (r"--variant", "答复情形"),
    (r"--withheld", "不予公开的内容"),
    (r"--where", "获取方式、途径"),
    (r"--reasons", "具体理由"),
    (r"--item", "补正事项"),
    (r"--attachment", "附件"),
    (r"--party", "征求意见对象"),
    (r"--for-letter", "所送达的文书"),
    (r"--kind", "文书种类"),
)
_WEB_PATTERNS = tuple((re.compile(p), words) for p, words in _WEB_WORDS)


def in_web_words(exc: DisclosureError) -> DisclosureError:
    """`exc` with its message in the form's words (its field is left as it is: the web maps
    "--pages" to the `pages` input already, `web.errors.form_field`)."""
    message = exc.message
    for pattern, words in _WEB_PATTERNS:
        message = pattern.sub(words, message)
    if message != exc.message:
        exc.message = message
        exc.args = (message,)
    return exc


def problems(
    app: Application, kind: str, fields: dict[str, str], *, default_delivery: str, new: bool
) -> dict[str, str]:
    """Every problem of the form at once (field → message); `new`: no letter of `kind` has
    been issued (a reprint is checked against the issued letter instead)."""
    found: dict[str, str] = {}
    delivery = fields.get("delivery", "").strip()
    if delivery and delivery not in delivery_choices(default_delivery):
        found["delivery"] = "请从列表中选择送达方式"
    if kind == REPLY and new:
        found.update(_reply_problems(app.outcome or "", fields))
    if found:
        found["_form"] = f"请补全标出的 {len(found)} 项后再出具文书。"
    return found


def _reply_problems(code: str, fields: dict[str, str]) -> dict[str, str]:
    if not code:
        return {"kind": "尚未记录答复结果：请先在“办理操作”中记录答复，再出具答复书"}
    found: dict[str, str] = {}
    variants = VARIANTS.get(code, ())
    variant = fields.get("variant", "").strip()
    if variants and variant not in variants:
        found["variant"] = "请选择答复情形" if not variant else "请从列表中选择答复情形"
        return found
    if not variants:
        variant = ""

    def empty(name: str) -> bool:
        return not fields.get(name, "").strip()

    if variant in _using(code, "withheld") and empty("withheld"):
        found["withheld"] = "请填写不予公开的内容"
    if variant in _using(code, "where") and empty("where"):
        found["where"] = "请填写获取该政府信息的方式、途径"
    if variant == ReplyVariant.OTHER and empty("reasons"):
        found["reasons"] = "请填写终止办理的事实和理由"
    if any(ATTACHED in p for p in DECISIONS[(code, variant)]) and empty("attachments"):
        found["attachments"] = "答复书写明“见附件”，请列出附件（每行一项）"
    return found
