"""What a letter to someone other than the applicant may say about the application (rulebook §9.6).

A third party or a co-producing agency learns which information is asked for, not who asks
(a natural person is "申请人", never named) and not the applicant's own words addressed to
this agency: `requested_info` turns the request into a neutral description, leading verbs
("请公开", "申请公开", "要求提供", …) and the applicant's forms of address stripped.
"""

from __future__ import annotations

import re

from disclosure.vocabulary import ApplicantType

SUBJECT_CHARS = 80

# Leading requests, longest first so "申请公开" wins over "申请".
_LEADING = (
    "本人申请公开", "本人申请获取", "申请人申请公开", "我想申请公开", "我申请公开", "请求公开",
    "申请公开", "申请获取", "申请提供", "要求公开", "要求提供", "要求获取", "希望公开", "希望获取",
    "请依法公开", "请予公开", "请公开", "请提供", "恳请公开", "我想了解", "想了解", "了解", "公开",
    "提供", "获取",
)  # fmt: skip
# How the applicant addressed this agency, and how they named themselves.
_ADDRESS = re.compile(r"贵局|贵单位|贵机关|贵委|贵办|贵厅|贵部门|贵司|你局|你单位|你们")
_SELF = re.compile(r"本人|我们|我方|我司|我公司|我单位|我家|我")
_TRAILING = re.compile(r"(的相关政府信息|的政府信息|的相关信息|的信息|政府信息)?[。；;，,.！!\s]*$")


def requester(name: str, applicant_type: str) -> str:
    """The applicant as a letter to another party names them: never a natural person."""
    return "申请人" if applicant_type == ApplicantType.NATURAL.value else name


def requested_info(content: str) -> str:
    """A neutral description of the request.

    "请公开贵局对某公司的检查记录。" → "有关本机关对某公司的检查记录的政府信息".
    """
    text = " ".join(content.split())
    text = re.split(r"[。；;\n]", text, maxsplit=1)[0].strip() or text
    for verb in _LEADING:
        if text.startswith(verb):
            text = text[len(verb) :].lstrip("：:，, ")
            break
    text = _ADDRESS.sub("本机关", text)
    text = _SELF.sub("申请人", text)
    text = _TRAILING.sub("", text).strip()
    if len(text) > SUBJECT_CHARS:
        text = text[: SUBJECT_CHARS - 1] + "…"
    return f"有关{text}的政府信息" if text else "有关政府信息"
