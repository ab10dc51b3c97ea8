"""Benchmark: how long a clerk's command takes to answer, as ratios to `import typer`.

    .venv/bin/python bench/bench_cli_startup.py [--repeat 15] [--n 10000] [--db-url URL]

Each command runs `--repeat` times as a fresh process (the installed `disclosure` script),
interleaved with the anchor, a bare `python -c "import typer"` with the same interpreter, so
that both see the same load. Per command: the median wall time and the median CPU time
(user + system, from wait4) and their ratios to the anchor's medians, and the number of
modules the command imported (`-X importtime` lines), with whether any of openpyxl, docx,
docxtpl, numpy, alembic or fastapi was among them. Commands:

- `disclosure --help` (issue 19 target: ≤ 2.5× the anchor);
- `disclosure deadline --received 2026-03-02 --json` (≤ 2.5×);
- `disclosure list --due-within 3 --json` on `--n` applications (`bench_notifier.populate`,
  a SQLite file unless `--db-url`; ≤ 4×).

With `--everyday`, also the other commands a clerk runs all day (no target; recorded so that
a change shows in them): `show N` and `show N --json` of one application, `register` of a new
one (each run registers one more) and `letter --help`.

Beside them, two floors (what this stack costs before any of the program's own work), timed
the same way:

- `floor_typer_deadline`: a bare Typer app with `deadline`'s options (and the root's
  `--config`) that prints `{}`: `import typer`, Typer's command building and the pydantic
  TypeAdapter it makes for every option value (`typer._adapters`, not part of `import typer`);
- `floor_typer_sqlmodel`: the same app after `import sqlmodel` (SQLAlchemy and its ORM),
  which every command reading the register needs.

The children run without PYTHONDONTWRITEBYTECODE, and every command runs once before the
timing, so that each finds its modules compiled (.pyc), as an installed program does; with
that variable set, every module edited since its last compile is recompiled by each run.

The load average is printed: the machine is shared, compare the ratios.

`--instructions` adds, for the anchor and every command, the instructions one run executes,
counted by valgrind's callgrind (`PYTHONHASHSEED=0`), and their ratios to the anchor's:
the same count on any load, and on any machine with the same interpreter and packages
(about a minute more; valgrind must be installed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("openpyxl", "docx", "docxtpl", "numpy", "alembic", "fastapi")
FLOOR_APP = """
import sys
from pathlib import Path
from typing import Annotated
if sys.argv[1] == "sqlmodel":
    import sqlmodel  # noqa: F401
import typer
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
@app.callback()
def root(config: Annotated[Path | None, typer.Option("--config")] = None) -> None:
    pass
@app.command("deadline")
def deadline(
    received: Annotated[str, typer.Option("--received")],
    correction_requested: Annotated[str | None, typer.Option("--correction-requested")] = None,
    correction_received: Annotated[str | None, typer.Option("--correction-received")] = None,
    extend: Annotated[int | None, typer.Option("--extend")] = None,
    extended_on: Annotated[str | None, typer.Option("--extended-on")] = None,
    pause: Annotated[list[str] | None, typer.Option("--pause")] = None,
    today: Annotated[str | None, typer.Option("--today")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    print("{}")
@app.command("other")
def other() -> None:
    pass
app(sys.argv[2:])
"""


def _once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed: {err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def _modules(cmd: list[str], env: dict[str, str]) -> tuple[int, list[str]]:
    """Modules imported by `cmd` (run once under -X importtime) and the heavy ones."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd[1:]] if cmd[0] == sys.executable
        else [sys.executable, "-X", "importtime", cmd[0], *cmd[1:]],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    names = [
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ][1:]  # the first line is the header
    heavy = sorted({n.split(".")[0] for n in names} & set(HEAVY))
    return len(names), heavy


def _instructions(cmd: list[str], env: dict[str, str]) -> int:
    """Instructions one run of `cmd` executes (callgrind; the script run by its interpreter)."""
    argv = cmd if cmd[0] == sys.executable else [sys.executable, *cmd]
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env={**env, "PYTHONHASHSEED": "0"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, check=False,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"{cmd} under callgrind failed: {proc.stderr[-2000:]}")
    return int(found.group(1))


def count_instructions(commands: dict[str, list[str]], env: dict[str, str]) -> dict:
    anchor = _instructions([sys.executable, "-c", "import typer"], env)
    out: dict = {"anchor": anchor}
    for name, cmd in commands.items():
        n = _instructions(cmd, env)
        out[name] = {"instructions": n, "per_anchor": round(n / anchor, 2)}
    return out


def measure(commands: dict[str, list[str]], env: dict[str, str], repeat: int) -> dict:
    anchor = [sys.executable, "-c", "import typer"]
    runs: dict[str, list[tuple[float, float]]] = {"anchor": [], **{k: [] for k in commands}}
    for cmd in commands.values():  # compiles what the command imports (.pyc), untimed
        _once(cmd, env)
    for _ in range(repeat):
        for name, cmd in [("anchor", anchor), *commands.items()]:
            runs[name].append(_once(cmd, env))
    med = {
        name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for name, r in runs.items()
    }
    a_wall, a_cpu = med["anchor"]
    out: dict = {
        "anchor": {"command": 'python -c "import typer"', "wall_ms": round(a_wall * 1e3, 1),
                   "cpu_ms": round(a_cpu * 1e3, 1)},
    }  # fmt: skip
    for name, cmd in commands.items():
        wall, cpu = med[name]
        count, heavy = _modules(cmd, env)
        out[name] = {
            "wall_ms": round(wall * 1e3, 1), "cpu_ms": round(cpu * 1e3, 1),
            "wall_per_anchor": round(wall / a_wall, 2), "cpu_per_anchor": round(cpu / a_cpu, 2),
            "modules": count, "heavy_modules": heavy,
        }  # fmt: skip
    out["load_1min"] = round(os.getloadavg()[0], 1)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--db-url")
    p.add_argument("--instructions", action="store_true", help="also count instructions")
    p.add_argument("--everyday", action="store_true", help="also show, register, letter --help")
    a = p.parse_args()
    if a.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    import bench_notifier as bn

    exe = str(Path(sys.executable).with_name("disclosure"))
    with tempfile.TemporaryDirectory() as tmp:
        url = a.db_url or f"sqlite:///{tmp}/bench.db"
        bn.populate(url, a.n, Path(tmp) / "out")
        env = {**os.environ, "DISCLOSURE_DATABASE__URL": url}
        env.pop("DISCLOSURE_CONFIG", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        deadline_args = ["deadline", "--received", "2026-03-02", "--json"]
        commands = {
            "help": [exe, "--help"],
            "deadline_json": [exe, "deadline", "--received", "2026-03-02", "--json"],
            f"list_due_within_3_json_{a.n}": [
                exe, "list", "--due-within", "3", "--today", bn.TODAY.isoformat(), "--json",
            ],
            "floor_typer_deadline": [sys.executable, "-c", FLOOR_APP, "typer", *deadline_args],
            "floor_typer_sqlmodel": [sys.executable, "-c", FLOOR_APP, "sqlmodel", *deadline_args],
        }  # fmt: skip
        if a.everyday:
            day = ["--today", bn.TODAY.isoformat()]
            commands |= {
                "show": [exe, "show", "2026-000054", *day],
                "show_json": [exe, "show", "2026-000054", "--json", *day],
                "register": [
                    exe, "register", "--channel", "in_person", "--applicant", "张三",
                    "--applicant-type", "natural", "--content", "请公开某项目的环评批复",
                    "--received", bn.TODAY.isoformat(), *day, "--json",
                ],
                "letter_help": [exe, "letter", "--help"],
            }  # fmt: skip
        cwd = os.getcwd()
        os.chdir(tmp)  # no config.toml here: the defaults, the database from the environment
        try:
            found = measure(commands, env, a.repeat)
            if a.instructions:
                found["instructions"] = count_instructions(commands, env)
            print(json.dumps(found, ensure_ascii=False), flush=True)
        finally:
            os.chdir(cwd)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
