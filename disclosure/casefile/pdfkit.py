"""PDF building blocks of the archive package, each by a well-kept library.

- HTML → PDF: WeasyPrint (embeds subsets of the CJK OpenType fonts, which reportlab cannot:
  Noto CJK has PostScript outlines); `lang="zh-CN"` selects Simplified Chinese glyphs.
- images → PDF pages: img2pdf (lossless; fitted into A4).
- .docx/.xlsx → PDF: LibreOffice headless, all files of a package in one background run.
- merging and page counting: pikepdf (qpdf), saved with a deterministic /ID.
- page numbers stamped on every page: reportlab (digits in Helvetica, no CJK needed).

Heavy libraries are imported inside the functions that use them (WeasyPrint alone takes most
of a second), so the CLI starts fast for every other command.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from disclosure.letters.render import soffice

A4_PT = (595.2756, 841.8898)  # 210 × 297 mm in PostScript points
CONVERT_TIMEOUT_SECONDS = 300


class NotConvertible(Exception):
    """These bytes cannot become PDF pages (listed in the 目录 and put into the zip)."""


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # heavy (about 0.5 s): only when a package is made

    return weasyprint.HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def image_to_pdf(data: bytes) -> bytes:
    """The image's pages (a multi-page TIFF gives several), each fitted into A4."""
    import img2pdf  # with pikepdf and Pillow: only when a package is made

    layout = img2pdf.get_layout_fun(A4_PT, fit=img2pdf.FitMode.into, auto_orient=True)
    try:
        return img2pdf.convert(data, layout_fun=layout)  # type: ignore[no-any-return]
    except img2pdf.AlphaChannelError:
        return img2pdf.convert(_flatten(data), layout_fun=layout)  # type: ignore[no-any-return]
    except Exception as exc:  # a damaged or unusual image
        raise NotConvertible(str(exc)) from exc


def _flatten(data: bytes) -> bytes:
    """An image with transparency, on white (img2pdf keeps images lossless and refuses alpha)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        out = io.BytesIO()
        white.save(out, format="PNG")
        return out.getvalue()


def page_count(data: bytes) -> int:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise NotConvertible("PDF 已加密") from exc
    except pikepdf.PdfError as exc:
        raise NotConvertible(f"PDF 无法读取：{exc}") from exc


@dataclass(frozen=True)
class OfficeFile:
    key: str  # the caller's name for it (unique)
    suffix: str  # ".docx" or ".xlsx"
    data: bytes


class OfficeConversion:
    """LibreOffice converting `files` in the background (one run for all of them).

    Started at once, so the package's other pages are made while it runs; `finish()` waits and
    returns key → PDF for each file it converted (a missing key failed). Without LibreOffice
    nothing is converted: the caller lists the files as not converted.
    """

    def __init__(self, files: Sequence[OfficeFile]) -> None:
        self.files = list(files)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        exe = soffice()
        if exe is None or not self.files:
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="casefile-lo-")
        root = Path(self._tmp.name)
        src, profile = root / "in", root / "profile"
        src.mkdir()
        paths = []
        for i, f in enumerate(self.files):
            path = src / f"f{i}{f.suffix}"
            path.write_bytes(f.data)
            paths.append(str(path))
        cmd = [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root / "out"),
            *paths,
        ]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def finish(self) -> dict[str, bytes]:
        if self._proc is None or self._tmp is None:
            return {}
        try:
            self._proc.wait(timeout=CONVERT_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
            self._tmp.cleanup()
            return {}
        out = Path(self._tmp.name) / "out"
        result = {}
        for i, f in enumerate(self.files):
            pdf = out / f"f{i}.pdf"
            if pdf.is_file() and pdf.stat().st_size > 0:
                result[f.key] = pdf.read_bytes()
        self._tmp.cleanup()
        return result


def merge(parts: Sequence[bytes], *, title: str) -> bytes:
    """One PDF of `parts` in order, every page numbered at its top right (1 = first page)."""
    import pikepdf

    sources = [pikepdf.open(io.BytesIO(p)) for p in parts]
    try:
        out = pikepdf.new()
        for src in sources:
            out.pages.extend(src.pages)
        sizes = [_size(page) for page in out.pages]
        with pikepdf.open(io.BytesIO(_numbers(sizes))) as stamps:
            for page, stamp in zip(out.pages, stamps.pages, strict=True):
                page.add_overlay(stamp, None)  # None: the whole page
            out.docinfo["/Title"] = title
            buf = io.BytesIO()
            out.save(buf, deterministic_id=True, compress_streams=True)
        return buf.getvalue()
    finally:
        for src in sources:
            src.close()


def _size(page: object) -> tuple[float, float]:
    box = page.mediabox  # type: ignore[attr-defined]
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _numbers(sizes: Sequence[tuple[float, float]]) -> bytes:
    """A PDF whose page i (same size as the package's page i) shows the number i + 1."""
    from reportlab.pdfgen import canvas  # only when a package is made

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True, pageCompression=1)
    for i, (w, h) in enumerate(sizes, start=1):
        c.setPageSize((w, h))
        c.setFont("Helvetica", 11)
        c.drawRightString(w - 28, h - 28, str(i))
        c.showPage()
    c.save()
    return buf.getvalue()
