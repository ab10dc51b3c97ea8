"""Outcome-specific paragraphs of the reply letter (rulebook §8; Reg. Arts. 30, 35–39).

One table, one entry per outcome code. `{basis}` is the outcome's legal basis from
`disclosure.outcomes`. The history (correction, extension, fee dates) is told once, in the
letter's opening paragraph, so these paragraphs do not repeat it. Office wording
around these paragraphs lives in the Word template (reply.docx), which an office may override.
"""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.outcomes import OUTCOMES

_REFUSE = "根据{basis}的规定，本机关决定不予公开。"

DECISIONS: dict[str, tuple[str, ...]] = {
    "1": (
        "经审查，您申请获取的政府信息属于公开范围。根据{basis}的规定，本机关决定予以公开，"
        "现将该政府信息提供给您（见附件）。",
    ),
    "2": (
        "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{basis}"
        "的规定，本机关向您提供可以公开的部分（见附件），对不应当公开的部分不予提供。",
    ),
    "3.1": ("经审查，您申请获取的政府信息属于依法确定的国家秘密。" + _REFUSE,),
    "3.2": ("经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。" + _REFUSE,),
    "3.3": (
        "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。"
        + _REFUSE,
    ),
    "3.4": (
        "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
        "第三方不同意公开，且本机关认为不公开不会对公共利益造成重大影响。" + _REFUSE,
    ),
    "3.5": (
        "经审查，您申请获取的政府信息属于行政机关的人事管理、后勤管理、内部工作流程等方面的"
        "内部事务信息。" + _REFUSE,
    ),
    "3.6": (
        "经审查，您申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、"
        "过程稿、磋商信函、请示报告等过程性信息。" + _REFUSE,
    ),
    "3.7": ("经审查，您申请获取的政府信息属于行政执法案卷信息。" + _REFUSE,),
    "3.8": (
        "经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的"
        "获取有特别规定。根据{basis}的规定，请您依照有关法律、行政法规的规定办理。",
    ),
    "4.1": (
        "经检索，本机关未制作、未获取您申请获取的政府信息，本机关不掌握该政府信息。"
        "根据{basis}的规定，本机关无法提供。",
    ),
    "4.2": (
        "经审查，本机关没有您申请获取的现成信息，提供该信息需要本机关对现有政府信息进行加工、"
        "分析。根据{basis}的规定，本机关不予提供。",
    ),
    "4.3": (
        "经审查，您补正后的申请内容仍不明确，本机关无法确定您所申请的"
        "政府信息。根据{basis}的规定，本机关无法提供。",
    ),
    "5.1": (
        "经审查，您是以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{basis}的规定，"
        "本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等相应渠道提出。",
    ),
    "5.2": (
        "经查，本机关已就您申请公开的相同政府信息作出答复，您的本次申请属于重复申请。"
        "根据{basis}的规定，本机关不予重复处理。",
    ),
    "5.3": (
        "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。根据{basis}的规定，"
        "本机关不作为政府信息公开申请处理，您可以通过公开发行渠道获取。",
    ),
    "5.4": (
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，"
        "您说明的理由不合理或者未说明理由。根据{basis}的规定，本机关不予处理。",
    ),
    "5.5": (
        "经审查，您的申请内容为要求本机关确认或者重新出具您已获取的信息。根据{basis}的规定，"
        "本机关不作为政府信息公开申请处理。",
    ),
    "6.1": (
        "您无正当理由逾期未补正。根据{basis}的规定，视为您放弃申请，"
        "本机关不再处理您的该政府信息公开申请。",
    ),
    "6.2": (
        "您逾期未按收费通知的要求缴纳费用。根据{basis}的规定，视为您放弃申请，"
        "本机关不再处理您的该政府信息公开申请。",
    ),
    "6.3": ("{other}根据{basis}的规定，本机关对您的该政府信息公开申请终止办理。",),
}


@dataclass(frozen=True)
class ReplyFacts:
    """Ledger facts that the outcome paragraphs mention (empty strings when not applicable)."""

    withdrawn_on: str = ""  # official-style date of a withdrawal
    responsible_agency: str = ""  # Art. 36(5): the agency responsible for the information
    contact: str = ""  # its contact
    note: str = ""  # further facts the clerk adds (where disclosed, reasons, …)


def decision_paragraphs(code: str, facts: ReplyFacts) -> list[str]:
    """The decision-and-facts paragraphs for outcome `code`."""
    outcome = OUTCOMES[code]
    other = f"您于{facts.withdrawn_on}撤回该政府信息公开申请。" if facts.withdrawn_on else ""
    fields = {"basis": outcome.basis, "other": other}
    out = [p.format(**fields) for p in DECISIONS[code]]
    if code == "4.1" and facts.responsible_agency:
        # Reg. Art. 36(5): name the responsible agency and its contact where known.
        contact = f"（联系方式：{facts.contact}）" if facts.contact else ""
        out.append(
            "您申请获取的政府信息不属于本机关负责公开的范围。经了解，该政府信息由"
            f"{facts.responsible_agency}{contact}负责公开，建议您向该机关咨询或者提出申请。"
        )
    if facts.note:
        out.append(facts.note)
    return out
