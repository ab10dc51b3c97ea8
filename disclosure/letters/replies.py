"""Outcome-specific paragraphs of the reply letter (rulebook §8; Reg. Arts. 30, 35–39).

One table, one entry per outcome code and variant (the keys of `disclosure.outcomes.CITATIONS`).
`{basis}` is that entry's citation; an entry without provisions states the fact and cites
nothing. Where the law has two cases under one code the clerk chooses the variant
(`--variant`); `choose_variant` gives the default from the ledger, so a letter never prints an
undecided alternative. The history (correction, extension, fee dates) is told once, in the
letter's opening paragraph, so these paragraphs do not repeat it. Office wording around these
paragraphs lives in the Word template (reply.docx), which an office may override.
"""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.errors import InvalidInput
from disclosure.outcomes import CITATIONS, OUTCOMES, VARIANTS, cite
from disclosure.vocabulary import ReplyVariant as V

DEFAULT_SEARCH = "检索范围：本机关制作、保存的文件资料"  # 4.1: the clerk describes the search

_REFUSE = "{reasons}根据{basis}的规定，本机关决定不予公开。"
_NOT_HANDLED = "根据{basis}的规定，本机关不作为政府信息公开申请处理。"
_ABANDONED = "根据{basis}的规定，视为您放弃申请，本机关不再处理您的该政府信息公开申请。"

# Outcome 2: what the withheld part is, by its ground (the variant).
WITHHELD_GROUND = {
    V.SECRET: "属于依法确定的国家秘密",
    V.FORBIDDEN: "属于法律、行政法规禁止公开的政府信息",
    V.SECURITY: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    V.THIRD_PARTY: "涉及第三方合法权益，公开会对第三方合法权益造成损害",
    V.INTERNAL: "属于行政机关的内部事务信息",
    V.PROCESS: "属于行政机关在履行行政管理职能过程中形成的过程性信息",
    V.ENFORCEMENT: "属于行政执法案卷信息",
    V.NOT_GOV_INFO: "不属于政府信息",
}
_PART = (
    "经审查，您申请获取的政府信息中，{withheld}{ground}，不应当公开；其余内容可以公开，"
    "且能够作区分处理。{reasons}根据{basis}的规定，本机关向您提供可以公开的内容（见附件），"
    "对{withheld}不予公开。"
)

DECISIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("1", V.DISCLOSED_NOW): (
        "经审查，您申请获取的政府信息属于公开范围。根据{basis}的规定，本机关决定予以公开，"
        "现将该政府信息提供给您（见附件）。",
    ),
    ("1", V.ALREADY_PUBLIC): (
        "经审查，您申请获取的政府信息本机关已经主动公开。根据{basis}的规定，现告知您获取该"
        "政府信息的方式、途径：{where}。",
    ),
    **{("2", v): (_PART,) for v in WITHHELD_GROUND},
    ("3.1", ""): ("经审查，您申请获取的政府信息属于依法确定的国家秘密。" + _REFUSE,),
    ("3.2", ""): ("经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。" + _REFUSE,),
    ("3.3", ""): (
        "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。"
        + _REFUSE,
    ),
    ("3.4", V.OTHER_RIGHTS): (
        "经审查，您申请获取的政府信息涉及第三方合法权益，公开会对第三方合法权益造成损害，"
        "且本机关认为不公开不会对公共利益造成重大影响。" + _REFUSE,
    ),
    ("3.4", V.TRADE_SECRET): (
        "经审查，您申请获取的政府信息涉及第三方的商业秘密，公开会对第三方合法权益造成损害，"
        "且本机关认为不公开不会对公共利益造成重大影响。" + _REFUSE,
    ),
    ("3.4", V.PRIVACY): (
        "经审查，您申请获取的政府信息涉及第三方的个人隐私，公开会对第三方合法权益造成损害，"
        "且本机关认为不公开不会对公共利益造成重大影响。" + _REFUSE,
    ),
    ("3.4", V.REFUSED): (
        "经审查，您申请获取的政府信息公开会损害第三方合法权益。本机关已书面征求第三方意见，"
        "第三方不同意公开且有合理理由，本机关认为不公开不会对公共利益造成重大影响。" + _REFUSE,
    ),
    ("3.5", ""): ("经审查，您申请获取的政府信息属于行政机关的内部事务信息。" + _REFUSE,),
    ("3.6", ""): (
        "经审查，您申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的过程性信息。"
        + _REFUSE,
    ),
    ("3.7", ""): ("经审查，您申请获取的政府信息属于行政执法案卷信息。" + _REFUSE,),
    ("3.8", ""): (
        "经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的信息。{reasons}"
        "根据{basis}的规定，请您依照有关法律、行政法规的规定办理。",
    ),
    ("4.1", V.NOT_EXIST): (
        "本机关进行了检索（{search}），没有您所申请公开的信息。根据{basis}的规定，现告知您："
        "该政府信息不存在。",
    ),
    ("4.1", V.NOT_OURS): (
        "经审查，您申请获取的政府信息不属于本机关负责公开的范围。{reasons}根据{basis}的规定，"
        "现告知您上述情况。{agency}",
    ),
    ("4.2", ""): (
        "经审查，本机关没有您申请获取的现成信息，提供该信息需要本机关对现有政府信息进行加工、"
        "分析。根据{basis}的规定，本机关不予提供。",
    ),
    ("4.3", ""): (
        "经审查，您补正后的申请内容仍不明确，本机关无法确定您所申请的"
        "政府信息。根据{basis}的规定，本机关无法提供。",
    ),
    ("5.1", ""): (
        "经审查，您是以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{basis}的规定，"
        "本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等相应渠道提出。",
    ),
    ("5.2", ""): (
        "经查，本机关已于{repeats_on}就您申请公开的相同政府信息（登记编号：{repeats}）作出答复，"
        "您的本次申请属于重复申请。根据{basis}的规定，本机关不予重复处理。",
    ),
    ("5.3", ""): (
        "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。根据{basis}的规定，"
        "本机关不作为政府信息公开申请处理，您可以通过公开发行渠道获取。",
    ),
    ("5.4", V.UNREASONABLE): (
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，本机关已{art35}要求您说明理由，"
        "本机关认为您说明的申请理由不合理。{reasons}根据{basis}的规定，本机关不予处理。",
    ),
    ("5.4", V.NO_REASONS): (
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，本机关已{art35}要求您说明理由，"
        "您未在期限内说明理由。根据{basis}的规定，本机关不予处理。",
    ),
    ("5.5", V.CONFIRM): (
        "经审查，您的申请内容是要求本机关对您已获取的信息予以确认，并非申请获取本机关在履行"
        "行政管理职能过程中制作、获取的政府信息。{reasons}" + _NOT_HANDLED,
    ),
    ("5.5", V.REISSUE): (
        "经审查，您的申请内容是要求本机关重新出具您已获取的信息，并非申请获取本机关在履行"
        "行政管理职能过程中制作、获取的政府信息。{reasons}" + _NOT_HANDLED,
    ),
    ("6.1", ""): ("您无正当理由逾期未补正。" + _ABANDONED,),
    ("6.2", ""): ("您逾期未按收费通知的要求缴纳费用。" + _ABANDONED,),
    # No article governs these: the fact alone (rulebook §8.2).
    ("6.3", V.WITHDRAWN): ("您于{withdrawn_on}撤回该政府信息公开申请，本机关终止办理。",),
    ("6.3", V.OTHER): ("{reasons}本机关对您的该政府信息公开申请终止办理。",),
}


@dataclass(frozen=True)
class ReplyFacts:
    """Ledger facts and clerk's texts the outcome paragraphs mention ("" when not applicable)."""

    withdrawn_on: str = ""  # official-style date of a withdrawal
    responsible_agency: str = ""  # Art. 36(5): the agency responsible for the information
    contact: str = ""  # its contact
    note: str = ""  # further facts the clerk adds
    repeats: str = ""  # 5.2: the earlier application's number
    repeats_on: str = ""  # 5.2: its reply date, official style
    withheld: str = ""  # 2: the part withheld
    reasons: str = ""  # 2, 3.x, 4.1, 5.4, 5.5, 6.3: the concrete reasons (4.1: the search done)
    where: str = ""  # 1 already disclosed: where and how to obtain it (Art. 36(1))
    art35_on: str = ""  # 5.4: the date of the letter asking for reasons
    third_party_answered: bool = False  # 3.4: a consulted third party has answered


def variant_choices(code: str) -> str:
    return "、".join(f"{v}（{V(v).label}）" for v in VARIANTS[code])


def record_variant(code: str, *, withdrawn: bool) -> str:
    """The variant of outcome `code` the ledger decides on its own ("" when the clerk must
    choose): 6.3 is a withdrawal exactly when one is recorded. Every other outcome with two
    or more variants is the clerk's choice, in the CLI as in the web form."""
    if code == "6.3":
        return V.WITHDRAWN if withdrawn else V.OTHER
    return ""


def check_variant(code: str, requested: str, *, withdrawn: bool) -> str:
    """The variant a new reply letter of outcome `code` states: the clerk's (checked), else
    the one the ledger decides (`record_variant`); refuses, naming --variant and its choices,
    when the outcome has several and neither is given. The one rule for a new reply letter,
    whoever asks for it (`disclosure letter`, the web form through the same service)."""
    variants = VARIANTS.get(code, ())
    if requested:
        if requested not in variants:
            allowed = variant_choices(code) if variants else "无（该结果只有一种情形）"
            raise InvalidInput(
                f"答复结果 {code} 不能选择 {requested!r}；可选：{allowed}",
                field="--variant",
            )
        return requested
    if len(variants) < 2:
        return variants[0] if variants else ""
    decided = record_variant(code, withdrawn=withdrawn)
    if decided:
        return decided
    what = (
        "部分公开须说明不予公开部分的依据"
        if code == "2"
        else f"答复结果 {code}（{OUTCOMES[code].label}）有多种情形"
    )
    raise InvalidInput(f"{what}，请选择答复情形：{variant_choices(code)}", field="--variant")


def choose_variant(code: str, requested: str, facts: ReplyFacts) -> str:
    """The variant of outcome `code` the letter states: the clerk's, else the ledger's. A new
    letter has passed `check_variant`; a letter numbered before that rule (a reprint rendered
    late, a correction of it) keeps the default it was issued with."""
    variants, withdrawn = VARIANTS[code], bool(facts.withdrawn_on)
    if requested or not variants or code == "2" or record_variant(code, withdrawn=withdrawn):
        return check_variant(code, requested, withdrawn=withdrawn)  # 2 never had a default
    defaults = {
        "3.4": V.REFUSED if facts.third_party_answered else V.OTHER_RIGHTS,
        "4.1": V.NOT_OURS if facts.responsible_agency else V.NOT_EXIST,
    }
    return defaults.get(code, variants[0])


def _require(value: str, field: str, what: str) -> str:
    if not value.strip():
        raise InvalidInput(f"须填写{what}", field=field)
    return value.strip().rstrip("。；;.")


def decision_paragraphs(code: str, variant: str, facts: ReplyFacts) -> list[str]:
    """The decision-and-facts paragraphs for outcome `code` in `variant`."""
    reasons = facts.reasons.strip().rstrip("。")
    fields = {
        "basis": cite(CITATIONS[(code, variant)]),
        "repeats": facts.repeats,
        "repeats_on": facts.repeats_on,
        "withdrawn_on": facts.withdrawn_on,
        "reasons": f"{reasons}。" if reasons else "",
        "art35": f"于{facts.art35_on}" if facts.art35_on else "",
        "ground": WITHHELD_GROUND.get(variant, ""),  # type: ignore[call-overload]
        "withheld": "",
        "where": "",
        "agency": "",
        "search": reasons or DEFAULT_SEARCH,
    }
    if code == "2":
        fields["withheld"] = _require(facts.withheld, "--withheld", "不予公开的内容")
    if variant == V.ALREADY_PUBLIC:
        fields["where"] = _require(facts.where, "--where", "获取该政府信息的方式、途径")
    if variant == V.OTHER and not reasons:
        _require("", "--reasons", "终止办理的事实和理由")
    if variant == V.NOT_OURS:
        if not reasons:
            fields["reasons"] = "该政府信息既非本机关制作，也非本机关保存。"
        if facts.responsible_agency:
            # Reg. Art. 36(5): name the responsible agency and its contact where known.
            contact = f"（联系方式：{facts.contact}）" if facts.contact else ""
            fields["agency"] = (
                f"经了解，负责公开该政府信息的行政机关为{facts.responsible_agency}{contact}，"
                "您可以向该机关提出申请。"
            )
        else:
            fields["agency"] = "本机关无法确定负责公开该政府信息的行政机关。"
    out = [p.format(**fields) for p in DECISIONS[(code, variant)]]
    if facts.note:
        out.append(facts.note)
    return out
