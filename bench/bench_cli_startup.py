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

The load average is printed: the machine is shared, compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("openpyxl", "docx", "docxtpl", "numpy", "alembic", "fastapi")


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


def measure(commands: dict[str, list[str]], env: dict[str, str], repeat: int) -> dict:
    anchor = [sys.executable, "-c", "import typer"]
    runs: dict[str, list[tuple[float, float]]] = {"anchor": [], **{k: [] for k in commands}}
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
    a = p.parse_args()
    import bench_notifier as bn

    exe = str(Path(sys.executable).with_name("disclosure"))
    with tempfile.TemporaryDirectory() as tmp:
        url = a.db_url or f"sqlite:///{tmp}/bench.db"
        bn.populate(url, a.n, Path(tmp) / "out")
        env = {**os.environ, "DISCLOSURE_DATABASE__URL": url}
        env.pop("DISCLOSURE_CONFIG", None)
        commands = {
            "help": [exe, "--help"],
            "deadline_json": [exe, "deadline", "--received", "2026-03-02", "--json"],
            f"list_due_within_3_json_{a.n}": [
                exe, "list", "--due-within", "3", "--today", bn.TODAY.isoformat(), "--json",
            ],
        }  # fmt: skip
        cwd = os.getcwd()
        os.chdir(tmp)  # no config.toml here: the defaults, the database from the environment
        try:
            print(json.dumps(measure(commands, env, a.repeat), ensure_ascii=False), flush=True)
        finally:
            os.chdir(cwd)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
