"""Outcome codes (Reg. Arts. 36–39) = rows of annual-report table 三 (rulebook §8), and the
one table of what each reply cites, per outcome and variant (docs/citations.md).

`CITATIONS[(code, variant)]` is the provisions the reply's decision paragraph cites, each with
its article, paragraph and item; `VARIANTS[code]` the variants the clerk chooses from (the first
is the default unless `default_variant` finds a better one in the ledger). Letters print a
citation with `cite`; tests/letters/test_citations.py pins every entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.vocabulary import ReplyVariant as V

REG = "《中华人民共和国政府信息公开条例》"
FEES = "《政府信息公开信息处理费管理办法》"
# The Fees provision on the notice and the 20-working-day payment period. Its number is
# unsettled from the official text (rulebook §7.9: the evidence points to art. 6), so letters
# cite the Fees by title alone (0: no article) until someone reads the official text; kept
# here once, equal to `rules.periods.FEE_BASIS` (a test checks they agree).
FEE_PAYMENT_ARTICLE = 0

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 36 → 三十六, 42 → 四十二 (articles stay below 100)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Provision:
    """One provision: article (0 = the instrument as a whole, cited by its title alone),
    paragraph (款, 0 = the whole article), item (项, 0 = none)."""

    article: int
    paragraph: int = 0
    item: int = 0
    law: str = REG

    @property
    def text(self) -> str:
        if not self.article:
            return ""
        out = f"第{cn_number(self.article)}条"
        if self.paragraph:
            out += f"第{cn_number(self.paragraph)}款"
        if self.item:
            out += f"第（{cn_number(self.item)}）项"
        return out


def cite(provisions: tuple[Provision, ...]) -> str:
    """《条例》第十四条、第三十六条第（三）项; provisions of another law follow with their title."""
    out, law = "", ""
    for p in provisions:
        if p.law != law:
            out += ("、" if out else "") + p.law + p.text
            law = p.law
        else:
            out += "、" + p.text
    return out


def P(article: int, paragraph: int = 0, item: int = 0, law: str = REG) -> Provision:
    return Provision(article, paragraph, item, law)


REFUSE = P(36, item=3)  # Art. 36(3): tell the applicant it is not disclosed, with the reason
FEE_PAYMENT = P(FEE_PAYMENT_ARTICLE, law=FEES)

# The one table: (code, variant) → the provisions the reply cites. An empty tuple: no article
# governs the case, and the letter states the fact without "根据…的规定" (rulebook §8.2).
CITATIONS: dict[tuple[str, str], tuple[Provision, ...]] = {
    ("1", V.DISCLOSED_NOW): (P(36, item=2),),
    ("1", V.ALREADY_PUBLIC): (P(36, item=1),),
    # Art. 37, with the withheld part's own ground
    ("2", V.SECRET): (P(37), P(14), REFUSE),
    ("2", V.FORBIDDEN): (P(37), P(14), REFUSE),
    ("2", V.SECURITY): (P(37), P(14), REFUSE),
    ("2", V.THIRD_PARTY): (P(37), P(15), REFUSE),
    ("2", V.INTERNAL): (P(37), P(16, 1), REFUSE),
    ("2", V.PROCESS): (P(37), P(16, 2), REFUSE),
    ("2", V.ENFORCEMENT): (P(37), P(16, 2), REFUSE),
    ("2", V.NOT_GOV_INFO): (P(37), P(2)),
    ("3.1", ""): (P(14), REFUSE),
    ("3.2", ""): (P(14), REFUSE),
    ("3.3", ""): (P(14), REFUSE),
    ("3.4", V.OTHER_RIGHTS): (P(15), REFUSE),
    ("3.4", V.TRADE_SECRET): (P(15), REFUSE),
    ("3.4", V.PRIVACY): (P(15), REFUSE),
    ("3.4", V.REFUSED): (P(15), P(32), REFUSE),  # the consulted third party refused
    ("3.5", ""): (P(16, 1), REFUSE),
    ("3.6", ""): (P(16, 2), REFUSE),
    ("3.7", ""): (P(16, 2), REFUSE),
    ("3.8", ""): (P(36, item=7),),
    ("4.1", V.NOT_EXIST): (P(36, item=4),),
    ("4.1", V.NOT_OURS): (P(36, item=5),),
    ("4.2", ""): (P(38),),
    ("4.3", ""): (P(30),),
    ("5.1", ""): (P(39, 1),),
    ("5.2", ""): (P(36, item=6),),
    ("5.3", ""): (P(39, 2),),
    ("5.4", V.UNREASONABLE): (P(35),),
    ("5.4", V.NO_REASONS): (P(35),),
    # No article names 5.5; Practice: Art. 2, what government information is (rulebook §8.2).
    ("5.5", V.CONFIRM): (P(2),),
    ("5.5", V.REISSUE): (P(2),),
    ("6.1", ""): (P(30),),
    ("6.2", ""): (FEE_PAYMENT, P(42, 1)),
    ("6.3", V.WITHDRAWN): (),
    ("6.3", V.OTHER): (),
}

VARIANTS: dict[str, tuple[str, ...]] = {}
for _code, _variant in CITATIONS:
    VARIANTS.setdefault(_code, ())
    if _variant:
        VARIANTS[_code] += (_variant,)


@dataclass(frozen=True)
class Outcome:
    code: str
    group: str  # （一）…（六）
    label: str

    @property
    def basis(self) -> str:
        """The citation of the default variant (a letter cites its own variant's)."""
        variants = VARIANTS[self.code]
        return cite(CITATIONS[(self.code, variants[0] if variants else "")])


OUTCOMES: dict[str, Outcome] = {
    o.code: o
    for o in (
        Outcome("1", "（一）予以公开", "予以公开"),
        Outcome("2", "（二）部分公开", "部分公开"),
        Outcome("3.1", "（三）不予公开", "属于国家秘密"),
        Outcome("3.2", "（三）不予公开", "其他法律行政法规禁止公开"),
        Outcome("3.3", "（三）不予公开", "危及“三安全一稳定”"),
        Outcome("3.4", "（三）不予公开", "保护第三方合法权益"),
        Outcome("3.5", "（三）不予公开", "属于三类内部事务信息"),
        Outcome("3.6", "（三）不予公开", "属于四类过程性信息"),
        Outcome("3.7", "（三）不予公开", "属于行政执法案卷"),
        Outcome("3.8", "（三）不予公开", "属于行政查询事项"),
        Outcome("4.1", "（四）无法提供", "本机关不掌握相关政府信息"),
        Outcome("4.2", "（四）无法提供", "没有现成信息需要另行制作"),
        Outcome("4.3", "（四）无法提供", "补正后申请内容仍不明确"),
        Outcome("5.1", "（五）不予处理", "信访举报投诉类申请"),
        Outcome("5.2", "（五）不予处理", "重复申请"),
        Outcome("5.3", "（五）不予处理", "要求提供公开出版物"),
        Outcome("5.4", "（五）不予处理", "无正当理由大量反复申请"),
        Outcome("5.5", "（五）不予处理", "要求行政机关确认或重新出具已获取信息"),
        Outcome(
            "6.1",
            "（六）其他处理",
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        Outcome(
            "6.2",
            "（六）其他处理",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        Outcome("6.3", "（六）其他处理", "其他"),
    )
}

# Closing without a reply on the merits maps to these rows of table 三.
ABANDONED_CORRECTION = "6.1"
ABANDONED_FEE = "6.2"
WITHDRAWN = "6.3"
# The words of that row for a case the applicant withdrew: the row, and why (ledger, show).
WITHDRAWN_WORDS = "其他（申请人撤回）"
