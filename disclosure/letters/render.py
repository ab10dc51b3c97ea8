"""Rendering: a Word template + a context → .docx bytes (docxtpl); .docx → PDF (LibreOffice).

Templates: `<settings.letters.template_dir>/<kind>.docx` when that file exists (an office's own
letterhead), else the shipped one in `disclosure/letters/templates/`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree

from disclosure.errors import ConfigError
from disclosure.letters.kinds import KindInfo
from disclosure.settings import Settings

SHIPPED = Path(__file__).parent / "templates"
PDF_TIMEOUT_SECONDS = 180
COMPILED_CACHE_SIZE = 256  # compiled template parts kept per process (a few per letter kind)
PREPARED_CACHE_SIZE = 64  # prepared templates kept per process (one per kind and version)
DEFLATED = zipfile.ZIP_DEFLATED
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class PdfUnavailable(ConfigError):
    """LibreOffice (soffice) is not installed, or the conversion failed."""


def template_path(settings: Settings, info: KindInfo) -> Path:
    """The template for `info`: the office's override if present, else the shipped one."""
    if settings.letters.template_dir:
        folder = settings.resolve(settings.letters.template_dir)
        if not folder.is_dir():
            raise ConfigError(
                f"文书模板目录不存在：{folder}",
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

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[no-untyped-def]
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self._compiled.get(source)
        if found is None:
            if len(self._compiled) >= COMPILED_CACHE_SIZE:
                self._compiled.clear()
            found = self._compiled[source] = super().from_string(source)
        return found


class _Template(DocxTemplate):  # type: ignore[misc]  # docxtpl is untyped
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


def _has_tags(text: str | None) -> bool:
    return bool(text) and ("{{" in text or "{%" in text)  # type: ignore[operator]


@dataclass(frozen=True)
class _Part:
    """A header or footer rendered like docxtpl does it (see `PreparedTemplate`)."""

    name: str  # the zip member
    source: str  # the patched Jinja source
    encoding: str


class PreparedTemplate:
    """A Word template read, checked and pre-processed once, rendered many times.

    docxtpl re-opens the whole package with python-docx for every letter, parses and
    re-serialises every part and re-runs its regex passes over the template; for a letter that
    costs more than the substitution itself. Here the package is opened once: the members that
    carry no placeholders are kept as bytes, the body and the headers and footers are kept as
    patched Jinja sources (docxtpl's own `patch_xml`). `render` then does what
    `DocxTemplate.render` does to those parts — Jinja with autoescape, docxtpl's
    `render_xml_part` (line breaks, `{_{` escapes), `fix_tables`, `fix_docpr_ids` — and zips the
    result. Templates whose footnotes or document properties carry placeholders (which this path
    does not handle) are rendered by docxtpl itself.

    Safe to share between threads: `render` keeps its working state in locals.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        raw = path.read_bytes()
        tpl = _Template(BytesIO(raw))
        try:
            tpl.init_docx()  # python-docx refuses what is not a Word document
        except Exception as exc:
            raise ConfigError(
                f"文书模板 {path.name} 不是有效的 Word 文档：{exc}", field="template"
            ) from exc
        doc = tpl.docx
        self._raw = raw
        self.fallback = self._needs_docxtpl(doc)
        self._body = tpl.patch_xml(tpl.get_xml())
        main = doc.part.partname.lstrip("/")
        self._main = main
        skeleton = etree.fromstring(doc.part.blob)
        body = skeleton.find(qn("w:body"))
        assert body is not None  # every .docx main part has a body
        for child in list(body):
            body.remove(child)
        self._skeleton = skeleton
        parts: list[_Part] = []
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _key, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                parts.append(
                    _Part(
                        part.partname.lstrip("/"),
                        tpl.patch_xml(xml),
                        tpl.get_headers_footers_encoding(xml),
                    )
                )
        self._parts = parts
        rendered = {main} | {p.name for p in parts}
        static = BytesIO()  # the members without placeholders, compressed once
        with zipfile.ZipFile(BytesIO(raw)) as z, zipfile.ZipFile(static, "w", DEFLATED) as out:
            for info in z.infolist():
                if not info.is_dir() and info.filename not in rendered:
                    out.writestr(info.filename, z.read(info))
        self._static = static.getvalue()

    @staticmethod
    def _needs_docxtpl(doc: Any) -> bool:
        props = doc.core_properties
        if any(
            _has_tags(getattr(props, name))
            for name in ("author", "comments", "identifier", "language", "subject", "title")
        ):
            return True
        return any(
            part.content_type == FOOTNOTES and _has_tags(part.blob.decode("utf-8", "replace"))
            for part in doc.part.package.parts
        )

    def render(self, context: dict[str, Any]) -> bytes:
        """The .docx bytes of this template with `context`; values are XML-escaped."""
        if self.fallback:
            return _render_with_docxtpl(BytesIO(self._raw), self.path.name, context)
        env = _environment()
        work = _Template(None)  # docxtpl's string passes, without a package
        work.docx_ids_index = 1000
        try:
            body = work.fix_tables(work.render_xml_part(self._body, None, context, env))
            work.fix_docpr_ids(body)
            out = {self._main: self._document(body)}
            for part in self._parts:
                xml = work.render_xml_part(part.source, None, context, env)
                out[part.name] = etree.tostring(
                    etree.fromstring(xml.encode(part.encoding)), encoding="UTF-8", standalone=True
                )
        except Exception as exc:  # jinja2 errors of an office's own template
            raise ConfigError(
                f"文书模板 {self.path.name} 无法套用：{exc}", field="template"
            ) from exc
        buf = BytesIO(self._static)
        with zipfile.ZipFile(buf, "a", DEFLATED) as z:  # appends, rewrites the directory
            for name, data in out.items():
                z.writestr(name, data)
        return buf.getvalue()

    def _document(self, body: Any) -> bytes:
        root = deepcopy(self._skeleton)
        old = root.find(qn("w:body"))
        assert old is not None
        root.replace(old, body)
        return etree.tostring(root, encoding="UTF-8", standalone=True)


_PREPARED: dict[tuple[str, int, int], PreparedTemplate] = {}


def prepared(template: Path) -> PreparedTemplate:
    """The prepared form of `template`, read once per process and per version of the file.

    Keyed by path, modification time and size, so a template an office edits is read again.
    """
    st = template.stat()
    key = (str(template.resolve()), st.st_mtime_ns, st.st_size)
    found = _PREPARED.get(key)
    if found is None:
        if len(_PREPARED) >= PREPARED_CACHE_SIZE:
            _PREPARED.clear()
        found = _PREPARED[key] = PreparedTemplate(template)
    return found


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Render `template` with `context`; values are XML-escaped (autoescape)."""
    return prepared(template).render(context)


def _render_with_docxtpl(source: Any, name: str, context: dict[str, Any]) -> bytes:
    doc = _Template(source)
    try:
        doc.render(context, jinja_env=_environment(), autoescape=True)
    except Exception as exc:  # jinja2 errors of an office's own template
        raise ConfigError(f"文书模板 {name} 无法套用：{exc}", field="template") from exc
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


FONTS_CONF = Path(__file__).parent / "fonts.conf"  # Simplified Chinese fallbacks


def to_pdf(docx: Path, out_dir: Path | None = None) -> Path:
    """Convert `docx` to PDF with LibreOffice headless; returns the PDF's path."""
    return to_pdfs([docx], out_dir or docx.parent)[0]


def to_pdfs(docxs: list[Path], out_dir: Path, timeout: float = PDF_TIMEOUT_SECONDS) -> list[Path]:
    """Convert several .docx files in one LibreOffice run; returns the PDFs, in order.

    Each call uses its own throwaway profile directory, so parallel conversions never share one.
    Fonts the templates name but the machine lacks fall back to Simplified Chinese faces
    (`fonts.conf`, read through FONTCONFIG_FILE by LibreOffice's fontconfig).
    """
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(
            "未安装 LibreOffice（soffice），无法生成 PDF；Word 文档已生成："
            + "、".join(str(d) for d in docxs),
            field="--pdf",
        )
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
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
            *(str(d) for d in docxs),
        ]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable("PDF 转换超时", field="--pdf") from exc
    pdfs = [out_dir / (d.stem + ".pdf") for d in docxs]
    if done.returncode != 0 or not all(p.is_file() for p in pdfs):
        detail = (done.stderr or done.stdout).strip()[:300]
        raise PdfUnavailable(f"PDF 转换失败：{detail}", field="--pdf")
    return pdfs
