"""The whole annual report rendered in one of its formats (shared by the CLI and the web)."""

from __future__ import annotations

import json
from pathlib import Path

from disclosure.report.annual_full import FullReport
from disclosure.settings import Settings


def render(report: FullReport, fmt: str, settings: Settings) -> bytes:
    """The report in `fmt` (docx, pdf, xlsx, md, json) as bytes."""
    if fmt == "json":
        return (json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "md":
        from disclosure.report.annual_md import render_full_markdown

        return render_full_markdown(report).encode("utf-8")
    if fmt == "xlsx":
        import tempfile

        from disclosure.report.annual_sheets import add_sheets
        from disclosure.report.annual_xlsx import write_xlsx

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "annual.xlsx"
            write_xlsx(report.base, path, add_sheets(report))
            return path.read_bytes()
    from disclosure.report import annual_pdf
    from disclosure.report.annual_docx import render_docx

    if fmt == "docx":
        return render_docx(report, annual_pdf.document_fonts(settings.report))
    docx = render_docx(report, annual_pdf.installed_fonts(settings.report))
    return annual_pdf.docx_to_pdf(docx, settings.report)
