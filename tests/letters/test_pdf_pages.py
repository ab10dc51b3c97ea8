"""Every kind and every outcome variant rendered to PDF by LibreOffice and read page by page
(issue 14 item 8): no page without body text, the signature with its date on a page of body
text, page numbers on every page, no undecided alternative, the pinned citations and no other
provision of the Regulations or the Fees measures, Simplified Chinese glyphs (`pdffonts`).

One LibreOffice run converts all the letters (`render.to_pdfs`), so the test stays well under a
minute.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from disclosure.letters.render import to_pdfs
from disclosure.outcomes import CITATIONS, FEES, REG
from tests.letters.conftest import AGENCY, Desk
from tests.letters.ledgers import NATURAL, Case, issue_all, procedural_cases, reply_case

pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("soffice", "pdftotext", "pdffonts")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdffonts) not installed",
)

R, F = REG, FEES
# The provisions each procedural letter must cite, by hand from docs/citations.md.
PROCEDURAL: dict[str, set[str]] = {
    "receipt": {R + "第三十三条第二款"},
    "correction": {R + "第三十条"},
    "extension": {R + "第三十三条第二款"},
    "consultation": {R + "第三十二条"},
    "consultation_notice": {R + "第三十二条", R + "第三十三条第三款"},  # one third party
    "consultation_agency": {R + "第三十四条"},
    "fee": {R + "第四十二条第一款", F + "第三条", F + "第五条", F},  # by volume; F: by title
    "art35": {R + "第三十五条", R + "第三十三条"},
    "deferred": {R + "第三十三条", R + "第三十五条"},
    "abandoned-correction": {R + "第三十条"},
    "abandoned-fee": {F, R + "第四十二条第一款"},
}
# Words a letter prints only when a template alternative was left undecided.
UNDECIDED = ("或者", "（印章）", "商业秘密、个人隐私等", "不合理或者未说明理由", "条例》的规定")

_N = "[一二三四五六七八九十]+"
_PROVISION = f"第{_N}条(?:第{_N}款)?(?:第（{_N}）项)?"
_CITATION = re.compile(f"(《(?:中华人民共和国政府信息公开条例|政府信息公开信息处理费管理办法)》)"
                       f"((?:{_PROVISION})(?:、{_PROVISION})*)")  # fmt: skip
_MENTION = re.compile("《(?:中华人民共和国政府信息公开条例|政府信息公开信息处理费管理办法)》")
# The Fees cited by title alone, for the payment provision whose number is unsettled (§7.9).
_TITLE_ONLY = re.compile("(《政府信息公开信息处理费管理办法》)(?=的规定|、《)")


def cited(flat: str) -> set[str]:
    """Every provision of the two texts the letter cites, each with its law's title."""
    out = set()
    for m in _CITATION.finditer(flat):
        out |= {m.group(1) + p for p in re.findall(_PROVISION, m.group(2))}
    return out | {m.group(1) for m in _TITLE_ONLY.finditer(flat)}


def expected(case: Case) -> set[str]:
    if case.kind != "reply":
        return PROCEDURAL[case.name]
    return {p.law + p.text for p in CITATIONS[(case.code, case.variant)]}


def pages_of(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def check(case: Case, pages: list[str], docx_text: str) -> list[str]:
    """What is wrong with one rendered letter (empty: nothing)."""
    bad = []
    flat = "".join("".join(pages).split())
    date_line = docx_text.splitlines()[-2]  # the signature date, just above the 附注
    for i, page in enumerate(pages, 1):
        if not re.search(rf"—\s*{i}\s*—", page):
            bad.append(f"page {i} has no page number")
        body = re.sub(r"（联系人：[^）]*）", "", "".join(page.split()))
        if "。" not in body:
            bad.append(f"page {i} has no body text")
    signed = [i for i, p in enumerate(pages) if date_line in "".join(p.split())]
    if not signed:
        bad.append("signature date not found")
    else:
        page = "".join(pages[signed[-1]].split())
        if AGENCY + date_line not in page:
            bad.append("signature and its date are split")
        before = page.split(AGENCY + date_line)[0]
        if "。" not in before:
            bad.append("the signature stands on a page without body text")
    for word in UNDECIDED:
        if word in flat:
            bad.append(f"prints {word!r}")
    found, want = cited(flat), expected(case)
    if found != want:
        bad.append(f"cites {sorted(found - want)} not pinned; misses {sorted(want - found)}")
    titled = len(_CITATION.findall(flat)) + len(_TITLE_ONLY.findall(flat))
    if len(_MENTION.findall(flat)) != titled + flat.count("》（国办函"):
        bad.append("names a law without an article")
    if case.kind.startswith("consultation") and case.kind != "consultation_notice":
        for word in (NATURAL, "贵局", "请公开贵局", "我家"):
            if word in flat:
                bad.append(f"a letter to another party prints {word!r}")
    return bad


def test_every_letter_reads_right_page_by_page(desk: Desk, tmp_path: Path) -> None:
    cases = procedural_cases(desk)
    cases += [reply_case(desk, code, variant) for code, variant in CITATIONS]
    issued = issue_all(desk, cases)
    texts = {}
    paths = []
    for case in cases:
        content, texts[case.name] = issued[case.name]
        path = tmp_path / f"{case.name}.docx"
        path.write_bytes(content)
        paths.append(path)
    pdfs = to_pdfs(paths, tmp_path)
    problems = {}
    counts = {}
    for case, pdf in zip(cases, pdfs, strict=True):
        pages = pages_of(pdf)
        counts[case.name] = len(pages)
        bad = check(case, pages, texts[case.name])
        if bad:
            problems[case.name] = bad
    assert problems == {}
    # the short procedural letters fit on one page (GB/T 9704: one page when content allows)
    short = ("receipt", "extension", "consultation", "consultation_agency", "art35", "deferred")
    assert {n: counts[n] for n in short} == dict.fromkeys(short, 1)
    fonts = embedded_fonts(pdfs[-1])
    # 仿宋, 方正小标宋简体 and 宋体 are not installed here: the named substitution (fonts.conf,
    # Noto Serif CJK SC) is embedded, never LibreOffice's own sans-serif guess. (Noto's OTC
    # faces share one CFF table, so the embedded name reads "jp" for every face.) Digits and
    # Latin letters are set in Times New Roman (`LATIN_FONT`); where it is not installed, its
    # metric-compatible stand-in Liberation Serif (Debian's fonts-liberation) is right too.
    serif = ("NotoSerifCJK", "FangSong", "FZ", "TimesNewRoman", "LiberationSerif")
    assert fonts and all(any(s in n for s in serif) for n in fonts), fonts
    assert not any("Sans" in n for n in fonts), fonts


def embedded_fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in out.stdout.splitlines()[2:] if line.strip()]


# Characters whose Simplified Chinese and Japanese glyph forms differ.
DIFFERING = "直骨角说"


def _sample(path: Path, font: str) -> Path:
    doc = Document()
    run = doc.add_paragraph().add_run(DIFFERING * 3)
    run.font.size = Pt(28)
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), font)
    doc.save(str(path))
    return path


def _pixels(pdf: Path) -> bytes:
    png = subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-gray", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return png


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_missing_official_fonts_print_simplified_chinese_glyphs(tmp_path: Path) -> None:
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    if "Noto Serif CJK SC" not in families or "仿宋" in families:
        pytest.skip("needs Noto Serif CJK SC and no 仿宋 installed")
    docs = [
        _sample(tmp_path / "body.docx", "仿宋"),  # what the templates name
        _sample(tmp_path / "title.docx", "方正小标宋简体"),
        _sample(tmp_path / "sc.docx", "Noto Serif CJK SC"),
        _sample(tmp_path / "jp.docx", "Noto Serif CJK JP"),
    ]
    body, title, sc, jp = (_pixels(p) for p in to_pdfs(docs, tmp_path))
    assert sc != jp  # the sample tells the two glyph sets apart
    assert body == sc and title == sc
