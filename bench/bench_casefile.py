"""Benchmark: the case file.

Run: .venv/bin/python bench/bench_casefile.py [--scans 40] [--sizes 1000,10000]

1. Archive package of one application with `--scans` A4 scans (JPEG, 200 dpi, with noise so
   they compress like real scans), timed with `archive_case`: without letters, and with a
   登记回执 and a 答复书 rendered by the letters package and converted by LibreOffice (one run).
2. Documents stored and listed: for each size N, a fresh process attaches N distinct PDFs to
   one application (100 per transaction) and then lists them (`documents_of`, streamed); a
   second fresh process runs `disclosure files NUMBER --json`. Peak RSS of each is printed:
   flat memory means the 10,000 figures are close to the 1,000 ones.

Anchor: SHA-256 of 64 MiB in this process, to compare runs on a shared machine.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)


def anchor() -> float:
    data = os.urandom(1 << 20)
    t = time.perf_counter()
    h = hashlib.sha256()
    for _ in range(64):
        h.update(data)
    return time.perf_counter() - t


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would include the parent's at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup(root: Path):  # type: ignore[no-untyped-def]
    from disclosure.db import make_engine, transaction
    from disclosure.services.context import Context
    from disclosure.services.office import load_office
    from disclosure.services.registration import parse_create, register_application
    from disclosure.services.setup import ensure_database
    from disclosure.settings import load_settings

    settings = load_settings(
        None,
        database={"url": f"sqlite:///{root / 'd.db'}"},
        documents={"dir": str(root / "docs")},
        departments=[{"code": "zcfg", "name": "政策法规处"}],
    )
    engine = make_engine(settings)
    ensure_database(engine, settings)
    data = parse_create(
        {
            "channel": "in_person",
            "received_on": date(2026, 3, 2),
            "applicant_name": "张三",
            "applicant_type": "natural",
            "content": "2025年某河道水质监测报告",
            "department": "zcfg",
        }
    )
    with transaction(engine) as s:
        office = load_office(s, settings)
        app = register_application(
            s, ctx=Context(office, date(2026, 3, 2), "bench", NOW), data=data
        )
        number = app.number
    return settings, engine, number


def _scan(i: int) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.effect_noise((1654, 2339), 6).convert("RGB")  # A4 at 200 dpi, paper grain
    d = ImageDraw.Draw(im)
    for y in range(200, 2200, 60):
        d.line([(150, y), (1500, y)], fill=(40, 40, 40), width=3)
    d.text((150, 120), f"page {i}", fill=(0, 0, 0))
    buf = io.BytesIO()
    im.point(lambda v: min(255, v + 120)).save(buf, format="JPEG", quality=75, dpi=(200, 200))
    return buf.getvalue()


def bench_archive(scans: int, letters: bool) -> dict[str, float]:
    from disclosure.casefile.archive import archive_case
    from disclosure.casefile.documents import Upload, attach
    from disclosure.db import transaction
    from disclosure.letters.service import LetterOptions, issue_letter
    from disclosure.services.context import Context
    from disclosure.services.office import load_office

    with tempfile.TemporaryDirectory() as tmp:
        settings, engine, number = _setup(Path(tmp))
        images = [_scan(i) for i in range(1, scans + 1)]
        with transaction(engine) as s:
            office = load_office(s, settings)
            for i, img in enumerate(images):
                attach(
                    s,
                    ctx=Context(load_office(s, settings), date(2026, 3, 20), "bench", NOW),
                    number=number,
                    upload=Upload(io.BytesIO(img), f"scan-{i:02d}.jpg", "application_form"),
                )
            ctx = Context(office, date(2026, 3, 20), "bench", NOW)
            if letters:
                issue_letter(
                    s,
                    ctx=ctx,
                    number=number,
                    kind="receipt",
                    options=LetterOptions(on=date(2026, 3, 2)),
                )
            issue_letter(
                s, ctx=ctx, number=number, kind="reply", options=LetterOptions(outcome="1")
            )
        t = time.perf_counter()
        with transaction(engine) as s:
            office = load_office(s, settings)
            result = archive_case(
                s, ctx=Context(office, date(2026, 3, 25), "bench", NOW), number=number
            )
        seconds = time.perf_counter() - t
        engine.dispose()
        return {
            "seconds": seconds,
            "pages": result.volume.pages,
            "mb": result.volume.size / (1 << 20),
            "scan_mb": sum(map(len, images)) / (1 << 20),
        }


def child_store(n: int, root: str) -> None:
    """In a fresh process: attach n documents, list them; print peak RSS as JSON."""
    from reportlab.pdfgen import canvas

    from disclosure.casefile.documents import Upload, attach, documents_of
    from disclosure.db import transaction
    from disclosure.services.context import Context
    from disclosure.services.lookup import get_application
    from disclosure.services.office import load_office

    settings, engine, number = _setup(Path(root))
    t = time.perf_counter()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True)
    c.drawString(72, 700, "DOCUMENT")
    c.showPage()
    c.save()
    base = buf.getvalue()
    for start in range(0, n, 100):
        with transaction(engine) as s:
            for i in range(start, min(n, start + 100)):
                data = base + f"\n%{i}\n".encode()  # distinct bytes, still a PDF
                attach(
                    s,
                    ctx=Context(load_office(s, settings), date(2026, 3, 20), "bench", NOW),
                    number=number,
                    upload=Upload(io.BytesIO(data), f"doc-{i}.pdf", "other"),
                )
    stored = time.perf_counter() - t
    t = time.perf_counter()
    with transaction(engine, write=False) as s:
        app = get_application(s, number)
        listed = sum(1 for _ in documents_of(s, app.id))  # type: ignore[arg-type]
    list_s = time.perf_counter() - t
    rss = peak_rss_mb()
    print(
        json.dumps(
            {
                "n": n,
                "listed": listed,
                "store_s": stored,
                "list_s": list_s,
                "rss_mb": rss,
                "number": number,
            }
        )
    )


def bench_documents(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), tmp],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        res = json.loads(out.stdout.strip().splitlines()[-1])
        (Path(tmp) / "config.toml").write_text("", encoding="utf-8")
        env = {
            **os.environ,
            "DISCLOSURE_DATABASE__URL": f"sqlite:///{tmp}/d.db",
            "DISCLOSURE_DOCUMENTS__DIR": f"{tmp}/docs",
            "DISCLOSURE_CONFIG": f"{tmp}/config.toml",
        }
        exe = str(Path(sys.executable).parent / "disclosure")
        t = time.perf_counter()
        cli = subprocess.run(
            ["/usr/bin/time", "-f", "%M", exe, "files", res["number"], "--json"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tmp,
        )
        res["cli_s"] = time.perf_counter() - t
        res["cli_rows"] = len(json.loads(cli.stdout))
        res["cli_rss_mb"] = int(cli.stderr.strip().splitlines()[-1]) / 1024
        return res


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--scans", type=int, default=40)
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--child", nargs=2)
    a = p.parse_args()
    if a.child:
        child_store(int(a.child[0]), a.child[1])
        return
    print(f"anchor: sha256 of 64 MiB = {anchor():.3f} s")
    for letters in (False, True):
        r = bench_archive(a.scans, letters)
        what = "with receipt + reply via LibreOffice" if letters else "reply letter only"
        print(
            f"archive, {a.scans} scans ({r['scan_mb']:.1f} MB), {what}: {r['seconds']:.2f} s, "
            f"{r['pages']} pages, {r['mb']:.1f} MB  (target < 5 s)"
        )
    for n in (int(x) for x in a.sizes.split(",")):
        r = bench_documents(n)
        print(
            f"documents n={n}: stored in {r['store_s']:.1f} s "
            f"({r['store_s'] / n * 1000:.2f} ms each), listed {r['listed']} in "
            f"{r['list_s']:.2f} s, peak RSS {r['rss_mb']:.0f} MB; "
            f"`disclosure files --json` {r['cli_rows']} rows in {r['cli_s']:.2f} s, "
            f"peak RSS {r['cli_rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
