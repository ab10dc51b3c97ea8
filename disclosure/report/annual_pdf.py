"""The annual report as PDF: the Word document converted by LibreOffice.

`soffice --headless --convert-to pdf` with a private profile directory per call (two
conversions at once would otherwise share, and lock, one profile). Fonts: the docx for the
PDF names the first installed font of each `[report]` list (`installed_fonts`, read from
fontconfig), so the PDF shows the font the office chose wherever it is installed, and a named
fallback where it is not, never LibreOffice's own guess.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from disclosure.errors import ConfigError
from disclosure.report.annual_docx import Fonts
from disclosure.settings import ReportSettings


@lru_cache(maxsize=1)
def _families() -> frozenset[str]:
    """Font families fontconfig knows on this machine (empty without fc-list)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, ":", "family"], capture_output=True, text=True, timeout=30)
    names: set[str] = set()
    for line in out.stdout.splitlines():
        names.update(n.strip() for n in line.split(",") if n.strip())
    return frozenset(names)


def first_installed(primary: str, fallbacks: list[str]) -> str:
    families = _families()
    for name in (primary, *fallbacks):
        if name in families:
            return name
    return primary


def document_fonts(s: ReportSettings) -> Fonts:
    """The fonts as configured (the .docx a person downloads names these)."""
    return Fonts(body=s.body_font, title=s.title_font, heading=s.heading_font)


def installed_fonts(s: ReportSettings) -> Fonts:
    """The first installed font of each list (the .docx converted to PDF names these)."""
    return Fonts(
        body=first_installed(s.body_font, s.body_fallbacks),
        title=first_installed(s.title_font, s.title_fallbacks),
        heading=first_installed(s.heading_font, s.heading_fallbacks),
    )


def docx_to_pdf(docx: bytes, s: ReportSettings) -> bytes:
    exe = shutil.which(s.soffice)
    if exe is None:
        raise ConfigError(
            f"未找到 LibreOffice（{s.soffice}），无法生成 PDF；请安装 libreoffice-writer",
            field="soffice",
        )
    with tempfile.TemporaryDirectory(prefix="disclosure-pdf-") as tmp:
        root = Path(tmp)
        src = root / "report.docx"
        src.write_bytes(docx)
        profile = (root / "profile").as_uri()
        cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation={profile}",
               "--convert-to", "pdf", "--outdir", str(root), str(src)]  # fmt: skip
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=s.pdf_timeout)
        except subprocess.TimeoutExpired as exc:
            raise ConfigError(
                f"LibreOffice 转换超时（{s.pdf_timeout:g} 秒）", field="soffice"
            ) from exc
        pdf = root / "report.pdf"
        if done.returncode != 0 or not pdf.is_file():
            detail = (done.stderr or done.stdout).strip()[:300]
            raise ConfigError(f"LibreOffice 转换失败：{detail}", field="soffice")
        return pdf.read_bytes()
