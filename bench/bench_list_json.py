"""Benchmark: `list --json` over N applications, today's way and streamed.

    python bench/bench_list_json.py                # N = 10,000 and 100,000 on SQLite
    python bench/bench_list_json.py --n 100000 --db-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Data: `bench_notifier.populate` (N open applications, 30 departments). Each way runs in its
own subprocess writing the JSON to a file, timed with `os.wait4` (wall, CPU, peak RSS), as is
the anchor (`bench_notifier.ANCHOR`, a fixed pure-Python workload) before and after:
- `list`: the unstreamed way (what `disclosure list --json` did before issue 19: ORM
  objects for every row, a list of dictionaries, one `json.dumps`);
- `stream`: `listing_stream.write_list_json` (plain rows in batches, each batch's JSON text
  written as UTF-8), in-process without the command's start-up;
- `cli`: the command itself, `disclosure list --json --today 2026-03-23` (a fresh process:
  start-up, settings, schema check, then the stream), its output redirected to a file.
The outputs are compared byte for byte (the command's ends with a newline). Memory is flat
when the peak RSS of `stream` and `cli` is about the same at 10,000 and 100,000 rows.
The children run without PYTHONDONTWRITEBYTECODE (modules compiled once, as installed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import bench_notifier as bn

CHILD = """
import sys
from datetime import date
from disclosure.db import make_engine, transaction
from disclosure.services.office import load_office
from disclosure.services.queries import ListFilter, department_names, list_application_rows
from disclosure.services.read_model import listed
from disclosure.settings import load_settings
import json
mode, url, out = sys.argv[1:4]
settings = load_settings(None, database={"url": url})
engine = make_engine(settings)
today = date(2026, 3, 23)
with open(out, "w", encoding="utf-8") as fh, transaction(engine, write=False) as s:
    office = load_office(s, settings)
    if mode == "list":
        deps = department_names(s)
        rows = [listed(a, office, today, deps).as_dict()
                for a in list_application_rows(s, office=office, today=today, flt=ListFilter())]
        fh.write(json.dumps(rows, ensure_ascii=False, indent=None, default=str))
    else:
        from disclosure.services.listing_stream import write_list_json
        fh.flush()
        write_list_json(s, office=office, today=today, flt=ListFilter(), write=fh.buffer.write)
engine.dispose()
"""


def run(n: int, db_url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or f"sqlite:///{tmp}/bench.db"
        # In a child: a child's peak RSS starts from this process's size when it is forked.
        here = str(Path(__file__).resolve().parent)
        fill = (
            "import sys; sys.path.insert(0, sys.argv[1]); import bench_notifier as bn; "
            "from pathlib import Path; "
            "bn.populate(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))"
        )
        bn.timed([sys.executable, "-c", fill, here, url, str(n), f"{tmp}/out"])
        env = {**os.environ, "DISCLOSURE_DATABASE__URL": url}
        env.pop("DISCLOSURE_CONFIG", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        exe = str(Path(sys.executable).with_name("disclosure"))
        cli = ["/bin/sh", "-c", 'cd "$2" && exec "$0" list --json --today 2026-03-23 > "$1"', exe]
        commands = {
            mode: [sys.executable, "-c", CHILD, mode, url, f"{tmp}/{mode}.json"]
            for mode in ("list", "stream")
        }
        commands["cli"] = [*cli, f"{tmp}/cli.json", tmp]
        bn.timed([exe, "--help"], env)  # compiles the command's modules (.pyc), untimed
        before = bn.anchor()
        out: dict = {"n": n}
        for mode, cmd in commands.items():
            r = bn.timed(cmd, env)
            out[mode] = {k: round(r[k], 2) for k in ("wall_s", "cpu_s", "rss_mb")}
        after = bn.anchor()
        texts = {mode: Path(f"{tmp}/{mode}.json").read_text(encoding="utf-8") for mode in commands}
        a_wall = (before["wall_s"] + after["wall_s"]) / 2
        out["anchor_s"] = round(a_wall, 2)
        for mode in commands:
            out[f"{mode}_per_anchor"] = round(out[mode]["wall_s"] / a_wall, 2)
        out["identical_output"] = texts["list"] == texts["stream"] == texts["cli"][:-1]
        out["cli_rows"] = texts["cli"].count('"number": ')
        return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, action="append")
    p.add_argument("--db-url")
    a = p.parse_args()
    for n in a.n or [10_000, 100_000]:
        print(json.dumps(run(n, a.db_url), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
