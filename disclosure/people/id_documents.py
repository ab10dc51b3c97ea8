"""The applicant's document numbers, checked on input by the document the applicant type
implies (the registration schema, `disclosure.schemas`, calls these for every edge).

- A natural person's number of 18 characters whose first 17 are digits is a resident ID
  (居民身份证, GB 11643; `stdnum.cn.ric`): the last character a digit or X, the birth date
  a real day, the check character right, the first six digits a county code of any year
  (`stdnum`'s list; the county of registration when first issued, not of birth).
  The same numbering is used by the residence permits for Hong Kong, Macao and Taiwan
  residents (810000/820000/830000) and the foreigner's permanent residence ID card of 2023
  (9 and the issuing province), whose first six digits are no county: no place is looked up.
- An organisation's (any applicant type but natural) number of 18 characters is its unified
  social credit code (统一社会信用代码, GB 32100; `stdnum.cn.uscc`); a valid resident ID (the
  legal representative's) is accepted too.
- Any other number (a passport, a Hong Kong identity card, an old organisation code) is kept
  as written after a sanity check: 5 to 30 characters of letters, digits, hyphens,
  parentheses and spaces.

Stored rows are never checked again: what was registered before stays readable.
"""

from __future__ import annotations

import re

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from disclosure.errors import InvalidInput

RESIDENT_ID = re.compile(r"\d{17}[\dX]", re.ASCII)
_RESIDENT_SHAPE = re.compile(r"\d{17}.", re.ASCII)  # 18 characters meant as a resident ID
# Residence permits (810000 Hong Kong, 820000 Macao, 830000 Taiwan), the foreigner's card of
# 2023 (9, then the issuing province): no county code in front.
_NO_COUNTY = re.compile(r"8[123]0000|9[1-6]\d", re.ASCII)
_OTHER = re.compile(r"[A-Za-z0-9()（）\- ]+", re.ASCII)
OTHER_MIN, OTHER_MAX = 5, 30


def check_id_number(value: str, *, natural: bool = True, field: str = "id_number") -> str:
    """The document number checked by its kind (see the module doc), compacted when it is a
    resident ID or a credit code ('x' → 'X', spaces and hyphens removed); `InvalidInput`
    naming `field` otherwise."""
    raw = value.strip()
    if not raw:
        return ""
    compact = ric.compact(raw).replace(" ", "").replace("-", "")
    if not natural and len(compact) == 18 and not RESIDENT_ID.fullmatch(compact):
        return check_credit_code(compact, field=field)
    if not natural and len(compact) == 18:  # 18 digits: a credit code or a representative's ID
        try:
            return str(uscc.validate(compact))
        except ValidationError:
            return _resident_id(compact, field, "统一社会信用代码或居民身份证号码")
    if _RESIDENT_SHAPE.fullmatch(compact):
        return _resident_id(compact, field, "居民身份证号码")
    return _other_document(raw, field)


def _resident_id(number: str, field: str, what: str) -> str:
    if not RESIDENT_ID.fullmatch(number):
        raise InvalidInput(f"{what}无效：最后一位应为数字或 X", field=field)
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidInput(f"{what}无效（校验码不符），请核对", field=field)
    try:
        ric.get_birth_date(number)
    except ValidationError as exc:
        raise InvalidInput(
            f"{what}无效：出生日期 {number[6:14]} 不存在，请核对", field=field
        ) from exc
    if not _NO_COUNTY.match(number) and not _known_county(number[:6]):
        raise InvalidInput(
            f"{what}无效：前六位 {number[:6]} 不是县级行政区划代码，请核对", field=field
        )
    return number


def _known_county(code: str) -> bool:
    """Whether `code` is a county code of any year in `stdnum`'s table. Not of the birth year,
    as `ric.get_birth_place` asks: the six digits are the county of household registration
    when the number was first issued (GB 11643), so a person born in 1980 may rightly hold a
    code first used in 1997 (110112, 通州区)."""
    from stdnum import numdb

    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    return "county" in info


def _other_document(raw: str, field: str) -> str:
    """Another document's number (passport, permit …): a sanity check, kept as written."""
    if not _OTHER.fullmatch(raw):
        raise InvalidInput(
            "证件号码只能包含字母、数字、连字符、括号和空格（居民身份证为 18 位）", field=field
        )
    size = len(raw.replace(" ", ""))
    if size < OTHER_MIN:
        raise InvalidInput(f"证件号码过短（{size} 位），请核对", field=field)
    if size > OTHER_MAX:
        raise InvalidInput(f"证件号码过长（{size} 位，最多 {OTHER_MAX} 位），请核对", field=field)
    return raw


def check_credit_code(value: str, *, field: str = "credit_code") -> str:
    """A unified social credit code, compacted and upper-cased; `InvalidInput` naming
    `field` when its length, characters or check character are wrong."""
    raw = value.strip()
    if not raw:
        return ""
    try:
        return str(uscc.validate(raw.upper()))
    except ValidationError as exc:
        raise InvalidInput(
            "统一社会信用代码无效（应为18位，校验码须相符），请核对", field=field
        ) from exc
