"""Rendering: a Word template + a context → .docx bytes (docxtpl); .docx → PDF (LibreOffice).

Templates: `<settings.letters.template_dir>/<kind>.docx` when that file exists (an office's own
letterhead), else the shipped one in `disclosure/letters/templates/`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template

from disclosure.errors import ConfigError
from disclosure.letters.kinds import KindInfo
from disclosure.settings import Settings

SHIPPED = Path(__file__).parent / "templates"
PDF_TIMEOUT_SECONDS = 180
COMPILED_CACHE_SIZE = 256  # compiled template parts kept per process (a few per letter kind)


class PdfUnavailable(ConfigError):
    """LibreOffice (soffice) is not installed, or the conversion failed."""


def template_path(settings: Settings, info: KindInfo) -> Path:
    """The template for `info`: the office's override if present, else the shipped one."""
    if settings.letters.template_dir:
        folder = settings.resolve(settings.letters.template_dir)
        if not folder.is_dir():
            raise ConfigError(
                f"文书模板目录不存在：{folder} / template folder not found",
                field="letters.template_dir",
            )
        own = folder / info.template
        if own.is_file():
            return own
    return SHIPPED / info.template


class _CompilingEnvironment(Environment):
    """A Jinja environment that compiles each distinct source once.

    docxtpl calls `from_string` on the same patched XML for every letter of a kind; compiling
    it is most of the rendering time. Keyed by the source text, so an edited template is a new
    key and never served stale.
    """

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[no-untyped-def,override]
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self._compiled.get(source)
        if found is None:
            if len(self._compiled) >= COMPILED_CACHE_SIZE:
                self._compiled.clear()
            found = self._compiled[source] = super().from_string(source)
        return found


class _Template(DocxTemplate):
    """docxtpl's template with `patch_xml` (a dozen regex passes) remembered per source."""

    _patched: dict[str, str] = {}  # noqa: RUF012  (a per-process cache shared by instances)

    def patch_xml(self, src_xml: str) -> str:
        found = self._patched.get(src_xml)
        if found is None:
            if len(self._patched) >= COMPILED_CACHE_SIZE:
                self._patched.clear()
            found = self._patched[src_xml] = super().patch_xml(src_xml)
        return found


_ENV: list[_CompilingEnvironment] = []  # made on first use, never at import time


def _environment() -> _CompilingEnvironment:
    if not _ENV:
        _ENV.append(_CompilingEnvironment())
    return _ENV[0]


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Render `template` with `context`; values are XML-escaped (autoescape)."""
    doc = _Template(str(template))
    try:
        doc.render(context, jinja_env=_environment(), autoescape=True)
    except Exception as exc:  # jinja2 errors of an office's own template
        raise ConfigError(
            f"文书模板 {template.name} 无法套用：{exc} / template error", field="template"
        ) from exc
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, out_dir: Path | None = None) -> Path:
    """Convert `docx` to PDF with LibreOffice headless; returns the PDF's path.

    Each call uses its own throwaway profile directory, so parallel conversions never share one.
    """
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(
            f"未安装 LibreOffice（soffice），无法生成 PDF；Word 文档已生成：{docx}"
            " / LibreOffice is not installed",
            field="--pdf",
        )
    out_dir = out_dir or docx.parent
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable("PDF 转换超时 / conversion timed out", field="--pdf") from exc
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        detail = (done.stderr or done.stdout).strip()[:300]
        raise PdfUnavailable(f"PDF 转换失败：{detail} / conversion failed", field="--pdf")
    return pdf
