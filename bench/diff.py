"""`topicgraph diff` of a 3-file change on a generated corpus in a git repository, with the base build cached
(`--base-build`) and without, beside two plain builds; medians of --repeat runs, measured side by side.

    python bench/diff.py -n 100000 --repeat 3       # the row of docs/benchmarks.md
    python bench/diff.py -n 20000 --repeat 3        # on a busy machine

The corpus and its repository are made once under --cache (default bench/corpus/diff-N); the change commits
three edits: a topic added to one record, one record's author renamed, one record deleted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TG = [sys.executable, "-m", "topicgraph"]
ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def run(cmd: list[str], cwd: Path, ok=(0,)) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)}: exit {done.returncode}: {done.stderr.decode()[-2000:]}")
    return time.perf_counter() - t


def repository(n: int, cache: Path) -> Path:
    """A git repository holding a generated corpus of ``n`` records and its taxonomy, with the change on top."""
    repo = cache / f"diff-{n}"
    if (repo / ".ready").exists():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    run(["git", "init", "-q", "-b", "main"], repo)
    run([*TG, "generate", "corpus", "-n", str(n), "--seed", "23", "--taxonomy", "tax"], repo)
    (repo / "corpus" / ".manifest.json").unlink(missing_ok=True)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "base"], repo)
    files = sorted((repo / "corpus").rglob("*.md"))[:3] or sorted(p for p in (repo / "corpus").rglob("*")
                                                                    if p.is_file())[:3]
    text = files[0].read_text(encoding="utf-8")
    files[0].write_text(text.replace("\ncommunityTopics:\n", "\ncommunityTopics:\n- 'Gartner: Digital "
                                     "Transformation'\n", 1), encoding="utf-8")
    text = files[1].read_text(encoding="utf-8")
    files[1].write_text(text.replace("\nauthor:\n- '", "\nauthor:\n- 'Renamed ", 1), encoding="utf-8")
    files[2].unlink()
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "three files"], repo)
    (repo / ".ready").write_text("")
    return repo


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "corpus")
    args = ap.parse_args()
    repo = repository(args.n, args.cache)
    base_build = args.cache / f"diff-{args.n}-base-build"
    if not (base_build / "build-report.json").exists():
        run(["git", "checkout", "-q", "HEAD~1"], repo)
        run([*TG, "build", "corpus", "--taxonomy", "tax", "--out", str(base_build), "-q"], repo, ok=(0, 1))
        run(["git", "checkout", "-q", "main"], repo)
    timings: dict[str, list[float]] = {"two plain builds": [], "diff, base build cached": [], "diff, no cache": []}
    for _ in range(args.repeat):
        out = args.cache / f"diff-{args.n}-plain"
        timings["two plain builds"].append(sum(
            run([*TG, "build", "corpus", "--taxonomy", "tax", "--out", str(out), "-q"], repo, ok=(0, 1))
            for _ in range(2)))
        shutil.rmtree(out, ignore_errors=True)
        timings["diff, base build cached"].append(run(
            [*TG, "diff", "HEAD~1", "HEAD", "corpus", "--taxonomy", "tax", "--base-build", str(base_build),
             "--format", "json", "-o", str(args.cache / "diff.json")], repo, ok=(0, 1)))
        timings["diff, no cache"].append(run(
            [*TG, "diff", "HEAD~1", "HEAD", "corpus", "--taxonomy", "tax", "--format", "json",
             "-o", str(args.cache / "diff.json")], repo, ok=(0, 1)))
    plain = statistics.median(timings["two plain builds"])
    print(f"{args.n:,} records, a 3-file change, {os.cpu_count()} cores, median of {args.repeat}")
    print("| what | seconds (median) | vs two plain builds |")
    print("|---|---:|---:|")
    for name, values in timings.items():
        m = statistics.median(values)
        print(f"| {name} | {m:.2f} s | {m / plain:.2f}× |")


if __name__ == "__main__":
    main()
