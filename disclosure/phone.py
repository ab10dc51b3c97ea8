"""The applicant's telephone (联系电话) as Chinese offices write it, checked on input only.

Accepted, one or several numbers separated by 、 , ; / (full-width too) or spaces:

- mobiles, 11 digits from 1[3-9], optionally after +86, 86 or 0086 (``138-0013-8000`` too);
- landlines, with or without the area code: ``010-12345678``, ``0571-8888888``,
  ``(0571)88888888``, ``+86 571 8888 8888``; an extension after 转, 分机, ext, x, # or a
  last hyphen (``010-12345678-123``);
- other countries' numbers written with + and the country code (``+852 2123 4567``).

Each number's length is checked by `phonenumbers` (libphonenumber's metadata: the possible
lengths per country and number type), region CN for numbers written without +. Full-width
digits are stored as ASCII digits; everything else is kept as typed. Letters, too few or too
many digits are refused naming the field. Stored rows are never checked (what was registered
before this rule stays readable); `phonenumbers` is imported only when a number is checked.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from disclosure.errors import InvalidInput

# Between numbers: one of these, spaces around it allowed (after NFKC: ，；／ are , ; /).
_BETWEEN = re.compile(r"\s*[、,;/]\s*")
_EXTENSION = re.compile(r"(?P<main>.*?)\s*(?:转|分机|ext\.?|x|#)\s*(?P<ext>[0-9]{1,6})", re.I)
_LAST_HYPHEN = re.compile(r"(?P<main>.*[0-9])\s*-\s*(?P<ext>[0-9]{1,6})")
_NUMBER = re.compile(r"\+?[0-9 ()\-]+", re.ASCII)
_CN_MOBILE = re.compile(r"1[3-9][0-9]*")
MIN_DIGITS = 7  # a local landline number without its area code
MAX_DIGITS = 15  # ITU-T E.164: country code included
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def check_phone(value: str, *, field: str = "phone") -> str:
    """`value` with full-width digits made ASCII, or `InvalidInput` naming `field`."""
    text = value.strip().translate(_FULL_WIDTH_DIGITS)
    if not text:
        return ""
    read = unicodedata.normalize("NFKC", text).strip()
    for part in _BETWEEN.split(read):
        if not part:
            raise InvalidInput(
                f"联系电话“{text}”中有多余的分隔符；多个号码请用“、”分隔", field=field
            )
        problem = _group_problem(part)
        if problem is not None:
            raise InvalidInput(f"联系电话“{part}”不是有效的电话号码：{problem}", field=field)
    return text


def _group_problem(part: str) -> str | None:
    """None when `part` is one number, or several separated by spaces; else why not."""
    problem = _number_problem(part)
    if problem is None:
        return None
    tokens = part.split()
    if len(tokens) > 1 and _splits(tokens):
        return None
    return problem


def _splits(tokens: list[str]) -> bool:
    """Whether `tokens` are consecutive runs each of which is one number (several numbers
    separated by spaces, each perhaps written with spaces inside: 138 0013 8000)."""
    ends = {0}  # the token indexes where a run of whole numbers can end
    for end in range(1, len(tokens) + 1):
        if any(_number_problem(" ".join(tokens[i:end])) is None for i in sorted(ends)):
            ends.add(end)
    return len(tokens) in ends


def _number_problem(text: str) -> str | None:
    """None when `text` is one telephone number (with any extension), else why it is not."""
    found = _EXTENSION.fullmatch(text)
    problem = _main_problem(found["main"] if found else text)
    if problem is not None and found is None:
        last = _LAST_HYPHEN.fullmatch(text)  # 010-12345678-123: the extension after a hyphen
        if last is not None and _main_problem(last["main"]) is None:
            return None
    return problem


@lru_cache(maxsize=512)
def _main_problem(text: str) -> str | None:
    import phonenumbers  # only when a number is checked (about 60 ms)
    from phonenumbers import ValidationResult

    if not _NUMBER.fullmatch(text):
        return "只能包含数字、+、-、括号和空格，分机号可写作“转123”"
    digits = sum(c.isdigit() for c in text)
    if digits < MIN_DIGITS:
        return f"位数过少（{digits} 位）"
    if digits > MAX_DIGITS:
        return f"位数过多（{digits} 位）"
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return "无法识别号码"
    national = str(number.national_number)
    if number.country_code == 86 and _CN_MOBILE.fullmatch(national) and len(national) != 11:
        return f"手机号码应为 11 位（收到 {len(national)} 位）"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE:
        return None
    if reason in (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        return "位数过少"
    if reason == ValidationResult.TOO_LONG:
        return "位数过多"
    return "位数不符"
