"""Benchmark harness: every stage of topicgraph beside the naive pipeline, on the same synthetic records, in one run.

    python bench/run.py --sizes 10000,100000 --repeat 3 --out docs/benchmarks.md

Each stage runs ``--repeat`` times; the report gives medians, the ratio naive/topicgraph, and the peak resident
memory of the whole process tree (sampled from /proc every 20 ms). Stages whose command is missing or fails are
listed as not run, with the reason: the harness never hides a stage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TG = [sys.executable, "-m", "topicgraph"]
sys.path.insert(0, str(ROOT / "bench"))
import naive  # noqa: E402

#: the issue's targets at 100,000 records (seconds, or MB for memory)
TARGETS = {
    "build": 20.0, "validate (cold)": 25.0, "validate (nothing changed)": 2.0, "validate (one file changed)": 3.0,
    "named query related-articles": 0.5, "named query topics-by-vendor": 0.5, "related (one article)": 0.020,
    "related --all": 60.0, "clusters": 10.0, "topicgraph --help": 0.3,
}
MEMORY_TARGETS = {"build": 1500.0}


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    note: str = ""
    #: CPU seconds (user + system) of the whole process tree, one per run: on a shared machine, the figure that
    #: other processes change least
    cpu: list[float] = field(default_factory=list)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def peak(self) -> float | None:
        return max(self.peak_mb) if self.peak_mb else None


_TICK = os.sysconf("SC_CLK_TCK")


def _tree_rss_kb(pid: int, cpu: dict[int, float] | None = None) -> int:
    """Resident kB of the process tree under ``pid``; the CPU seconds each process has used so far go into
    ``cpu`` (by process id)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            if cpu is not None:
                with open(f"/proc/{p}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                cpu[p] = max(cpu.get(p, 0.0), (int(fields[11]) + int(fields[12])) / _TICK)  # utime + stime
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


#: CPU seconds of the last command :func:`run_measured` ran: the command's own (and what it reaped), exactly, plus
#: each other process of its tree as last sampled (every 20 ms): the workers, which the fork server reaps
LAST_CPU = [0.0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(cmd: list[str], *, cwd: Path = ROOT, env: dict | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak MB of the process tree, stdout) of one command; raises on a non-zero exit. Its CPU
    seconds are left in ``LAST_CPU``."""
    peak = [0]
    cpu: dict[int, float] = {}
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid, cpu))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    own = _children_cpu() - cpu_before
    done.set()
    sampler.join()
    LAST_CPU[0] = own + sum(v for p, v in cpu.items() if p != proc.pid)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[2:5])}… exited {proc.returncode}: {(err or out).strip()[-300:]}")
    return elapsed, peak[0] / 1024, out


def _note(exc: Exception) -> str:
    first = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return "not run: " + first.replace("|", "\\|")[:160]


def median_of(fn, repeat: int) -> Measure:
    m = Measure()
    for _ in range(repeat):
        seconds, peak = fn()
        m.seconds.append(seconds)
        m.cpu.append(LAST_CPU[0])
        if peak is not None:
            m.peak_mb.append(peak)
    return m


def corpus_for(n: int, seed: int, cache: Path) -> tuple[Path, Path]:
    """The records (generated once and cached) and their taxonomy folder (rewritten every run: it is small)."""
    from topicgraph.synth import (MANIFEST_NAME, SynthConfig, SynthCorpus, Topic, generate, load_manifest,
                                  write_taxonomy)

    root = cache / f"n{n}-seed{seed}"
    if not (root / MANIFEST_NAME).exists():  # none yet, or one from before the manifest was a dot file
        generate(root, SynthConfig(n=n, seed=seed), overwrite=True)
    taxonomy = cache / f"n{n}-seed{seed}.taxonomy"
    shutil.rmtree(taxonomy, ignore_errors=True)
    manifest = load_manifest(root)
    config = SynthConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in manifest["config"].items()})
    write_taxonomy(SynthCorpus(root=root, files=[], group_of_article={}, group_of_topic={}, config=config,
                               topics=[Topic(**t) for t in manifest["topics"]]), taxonomy)
    return root, taxonomy


def bench_size(n: int, args, work: Path) -> dict[str, dict[str, Measure]]:
    corpus, taxonomy = corpus_for(n, args.seed, Path(args.corpus_cache))
    records = corpus  # shard folders of records, and the ground truth in a dot file that build and validate skip
    ours: dict[str, Measure] = {}
    store = work / f"graph-{n}"

    def build_once():
        if store.exists():
            shutil.rmtree(store)
        seconds, peak, _ = run_measured(TG + ["build", str(records), "--out", str(store), "--format", "nt", "-q",
                                              "--taxonomy", str(taxonomy)])
        return seconds, peak

    ours["build"] = median_of(build_once, args.repeat)
    if not wanted(args, "validate", "queries", "analysis", "help"):
        return {"ours": ours, "naive": _naive(records, "0", args) if wanted(args, "naive") else {}}

    cache = work / f"validate-cache-{n}"

    def validate(extra_prep=None):
        def once():
            if extra_prep:
                extra_prep()
            seconds, peak, _ = run_measured(TG + ["validate", str(records), "--cache", str(cache),
                                                  "--taxonomy", str(taxonomy), "--format", "json"])
            return seconds, peak
        return once

    def cold_prep():
        shutil.rmtree(cache, ignore_errors=True)

    victim = next(records.rglob("*.md"))
    original = victim.read_bytes()
    counter = [0]

    def touch_one():
        counter[0] += 1
        victim.write_bytes(original.replace(b"title: '", f"title: 'Edited {counter[0]} ".encode(), 1))

    for name, fn in (("validate (cold)", validate(cold_prep)), ("validate (nothing changed)", validate()),
                     ("validate (one file changed)", validate(touch_one))):
        if not wanted(args, "validate"):
            break
        try:
            ours[name] = median_of(fn, args.repeat)
        except Exception as exc:  # noqa: BLE001 - report, do not hide
            ours[name] = Measure(note=_note(exc))
    victim.write_bytes(original)

    # named queries, in-process on the embedded store, the same SPARQL the naive pipeline runs on rdflib
    from topicgraph.synth import load_manifest

    first_id = load_manifest(corpus).get("first_id") or "0"
    try:
        from topicgraph.store import GraphStore

        gs = GraphStore.open(store)
        first_id = gs.query("SELECT ?id WHERE { ?a schema:identifier ?id ; schema:about ?t } LIMIT 1")[0]["id"]
        for name, q in naive.QUERIES.items() if wanted(args, "queries") else ():
            def q_once(q=q):
                t = time.perf_counter()
                list(gs.raw_query(naive.with_id(q, first_id)))
                return time.perf_counter() - t, None
            ours[f"query {name}"] = median_of(q_once, max(3, args.repeat))
        # the shipped named queries, as `topicgraph query --name` runs them (the targets apply to these)
        from topicgraph.queries import example_params, list_queries, run_named

        for nq in list_queries() if wanted(args, "queries") else ():
            params = {"identifier": first_id} if nq.name == "related-articles" else example_params(gs, nq.name)

            def named_once(name=nq.name, params=params):
                t = time.perf_counter()
                run_named(gs, name, params)
                return time.perf_counter() - t, None
            ours[f"named query {nq.name}"] = median_of(named_once, max(3, args.repeat))
        del gs
    except Exception as exc:  # noqa: BLE001
        for name in naive.QUERIES:
            ours[f"query {name}"] = Measure(note=_note(exc))

    for name, cmd in (
            ("related --all", ["related", "--all", "--store", str(store), "-k", "10"]),
            ("clusters", ["clusters", "--store", str(store), "--seed", "1"]),
            ("export (topics, graphml)", ["export", "--store", str(store), "--graph", "topics", "--format",
                                          "graphml", "-o", str(work / f"topics-{n}.graphml")]),
            *picture_commands(store, work, n)):
        if not wanted(args, "analysis"):
            break
        try:
            ours[name] = median_of(lambda cmd=cmd: run_measured(TG + cmd)[:2], args.repeat)
        except Exception as exc:  # noqa: BLE001
            ours[name] = Measure(note=_note(exc))

    # "more like this" for one article, in process, once the index is built (the 20 ms target)
    try:
        if not wanted(args, "analysis"):
            raise RuntimeError("not asked for (--only)")
        from topicgraph.analysis.related import RelatedIndex
        from topicgraph.store import GraphStore

        gs = GraphStore.open(store)
        t = time.perf_counter()
        index = RelatedIndex(gs)
        ours["related index (built once)"] = Measure(seconds=[time.perf_counter() - t])
        articles = index.incidence.articles
        one = Measure()
        for i in range(0, len(articles), max(1, len(articles) // 100)):
            t = time.perf_counter()
            index.related(articles[i], 10)
            one.seconds.append(time.perf_counter() - t)
        one.note = f"median of {len(one.seconds)} articles"
        ours["related (one article)"] = one
        del index, gs
    except Exception as exc:  # noqa: BLE001
        ours["related (one article)"] = Measure(note=_note(exc))

    if wanted(args, "help"):
        ours["topicgraph --help"] = median_of(lambda: run_measured(TG + ["--help"])[:2], max(5, args.repeat))
    return {"ours": ours, "naive": _naive(records, first_id, args) if wanted(args, "naive") else {}}


def _naive(records: Path, first_id: str, args) -> dict[str, Measure]:
    """The naive pipeline's stages on ``records`` (``--naive-repeat`` runs, each a process of its own)."""
    naive_m: dict[str, Measure] = {}
    stages = "read,graph,nt" + (",validate" if wanted(args, "validate") else "") + (
        ",queries" if wanted(args, "queries") else "")
    naive_runs = []
    for _ in range(args.naive_repeat or args.repeat):
        _, peak, out = run_measured([sys.executable, str(ROOT / "bench" / "naive.py"), str(records),
                                     str(ROOT / "ontology" / "shapes"), first_id, stages])
        naive_runs.append((json.loads(out.strip().splitlines()[-1]), peak))
    stage_map = {"read": "read", "graph": "graph", "nt": "N-Triples", "validate": "pyshacl",
                 "query:related-articles": "query related-articles",
                 "query:topics-by-vendor": "query topics-by-vendor",
                 "query:topic-co-occurrence": "query topic-co-occurrence"}
    for key, name in stage_map.items():
        naive_m[name] = Measure(seconds=[r[0][key] for r in naive_runs if key in r[0]],
                                cpu=[r[0][f"{key}_cpu"] for r in naive_runs if f"{key}_cpu" in r[0]])
    # what each command is compared with: the naive pipeline's stages that do the same job from the files
    # the naive pipeline's stages, timed inside its process (its start-up and imports are left out)
    build = [r[0]["read"] + r[0]["graph"] + r[0]["nt"] for r in naive_runs]
    build_cpu = [r[0]["read_cpu"] + r[0]["graph_cpu"] + r[0]["nt_cpu"] for r in naive_runs]
    naive_m["build"] = Measure(seconds=build, cpu=build_cpu, peak_mb=[r[1] for r in naive_runs],
                               note="read + graph + N-Triples")
    if all("validate" in r[0] for r in naive_runs):
        cold = [r[0]["read"] + r[0]["graph"] + r[0]["validate"] for r in naive_runs]
        cold_cpu = [r[0]["read_cpu"] + r[0]["graph_cpu"] + r[0]["validate_cpu"] for r in naive_runs]
        naive_m["validate (cold)"] = Measure(seconds=cold, cpu=cold_cpu)
    naive_m["_triples"] = Measure(seconds=[naive_runs[0][0].get("triples", 0)])
    return naive_m


GROUPS = ("build", "validate", "queries", "analysis", "help", "seeds", "naive")


def wanted(args, *groups: str) -> bool:
    """Whether ``--only`` asks for any of ``groups`` (every group when it is not given)."""
    return not args.only or any(g in args.only for g in groups)


#: the commands an analyst runs on the five seed records (the issue's 0.4 s target, each a whole process)
SEED_COMMANDS = {
    "related": ["related", "--store", "{store}", "4463", "-k", "3"],
    "stats": ["stats", "--store", "{store}"],
    "query --name": ["query", "--store", "{store}", "--name", "topics-by-vendor"],
    "validate seeds": ["validate", "seeds", "--cache", "{cache}"],
}
SEED_TARGET = 0.4


def bench_seeds(args, work: Path) -> dict[str, Measure]:
    """Each seed command's wall time, a whole process each (start-up included), after one run to warm the caches
    (the validation cache, the analysis input cache, the file system's)."""
    store, cache = work / "graph-seeds", work / "validate-cache-seeds"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    run_measured(TG + ["build", "seeds", "--out", str(store), "-q"])
    out = {}
    for name, template in SEED_COMMANDS.items():
        cmd = [part.format(store=store, cache=cache) for part in template]
        try:
            run_measured(TG + cmd)
            out[name] = median_of(lambda cmd=cmd: run_measured(TG + cmd)[:2], max(5, args.repeat))
        except Exception as exc:  # noqa: BLE001
            out[name] = Measure(note=_note(exc))
    return out


def targets_report(results: dict[int, dict], seeds: dict[str, Measure]) -> list[str]:
    """The issue's ratios, each measured in this run on the same records."""
    rows = ["| target | measured in this run | |", "|---|---|---|"]

    def row(what: str, value: float | None, shown: str, ok) -> None:
        verdict = "—" if value is None else ("met" if ok(value) else "**not met**")
        rows.append(f"| {what} | {shown} | {verdict} |")

    for n, res in results.items():
        ours, nv = res["ours"], res["naive"]
        for stage, need in (("build", 3.0), ("validate (cold)", 6.0)):
            o, v = ours.get(stage, Measure()).median, nv.get(stage, Measure()).median
            ratio = v / o if o and v else None
            oc, vc = ours.get(stage, Measure()).cpu_median, nv.get(stage, Measure()).cpu_median
            cpu_note = f"; CPU {vc / oc:.2f}× ({fmt_s(vc)} / {fmt_s(oc)})" if oc and vc else ""
            naive_what = "read + graph + N-Triples" if stage == "build" else "read + graph + pyshacl"
            row(f"`{'build --format nt' if stage == 'build' else 'validate'}` {'' if stage == 'build' else 'cold '}at {n:,}: naive "
                f"({naive_what}) / topicgraph ≥ {need:g}×", ratio,
                f"{ratio:.2f}× ({fmt_s(v)} / {fmt_s(o)}){cpu_note}" if ratio else "not run",
                lambda r, need=need: r >= need)
        cold = ours.get("validate (cold)", Measure()).median
        for stage, most in (("validate (nothing changed)", 0.10), ("validate (one file changed)", 0.15)):
            m = ours.get(stage, Measure()).median
            share = m / cold if m and cold else None
            row(f"`{stage.split(' (')[0]}` {stage.split('(')[1].rstrip(')')} at {n:,}: ≤ {most:g} × cold", share,
                f"{share:.3f} × ({fmt_s(m)} / {fmt_s(cold)})" if share else "not run", lambda r, most=most: r <= most)
    for name, m in seeds.items():
        row(f"`{name}` on the seeds ≤ {SEED_TARGET:g} s", m.median,
            fmt_s(m.median) if m.seconds else m.note, lambda v: v <= SEED_TARGET)
    return rows


PICTURES = ("png", "svg", "html")


def picture_commands(store: Path, work: Path, n: int) -> list[tuple[str, list[str]]]:
    """The static pictures (and the page) of the topic graph, each written by one `topicgraph export`."""
    return [(f"export (topics, {fmt})", ["export", "--store", str(store), "--format", fmt, "-q",
                                         "-o", str(work / f"topics-{n}.{fmt}")]) for fmt in PICTURES]


def bench_pictures(stores: dict[int, Path], args, work: Path) -> str:
    """``--pictures``: only the picture stages, on builds that exist already; a Markdown table."""
    lines = ["| records | topics / links (drawn) | format | seconds (median) | peak MB | file size |", "|---|---|---|---|---|---|"]
    for n, store in stores.items():
        for name, cmd in picture_commands(store, work, n):
            m = median_of(lambda cmd=cmd: run_measured(TG + cmd)[:2], args.repeat)
            fmt = name.split(", ")[1].rstrip(")")
            out = work / f"topics-{n}.{fmt}"
            size = f"{out.stat().st_size / 1024:.0f} KB" if out.exists() else "—"
            lines.append(f"| {n:,} | {_drawn(store)} | {fmt} | {fmt_s(m.median) if m.seconds else m.note} | "
                         f"{m.peak or 0:.0f} | {size} |")
    return "\n".join(lines)


def _drawn(store: Path) -> str:
    from topicgraph.export import build_export_graph
    from topicgraph.export._common import clean_graph
    from topicgraph.export.picture import thin

    G = clean_graph(build_export_graph(store, articles=False))
    return f"{G.number_of_nodes()} / {G.number_of_edges():,} ({thin(G).number_of_edges():,})"


def fmt_s(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"


def report(results: dict[int, dict], args, started: str, seeds: dict[str, Measure] | None = None) -> str:
    lines = [f"## Run of {started}", "",
             f"`python bench/run.py --sizes {args.sizes} --repeat {args.repeat}` on {platform.node() or 'this machine'}"
             f" ({os.cpu_count()} cores, Python {platform.python_version()}). Medians of {args.repeat} runs; "
             "peak memory is the whole process tree's resident set.", ""]
    lines += ["### Targets", "", *targets_report(results, seeds or {}), ""]
    if seeds:
        lines += ["### The seed records (5 files), a whole process each", "",
                  "| command | median | CPU s | peak MB |", "|---|---|---|---|"]
        lines += [f"| `topicgraph {' '.join(SEED_COMMANDS[k]).format(store='GRAPH', cache='CACHE')}` | "
                  f"{fmt_s(m.median) if m.seconds else m.note} | {m.cpu_median or 0:.2f} | {m.peak or 0:.0f} |"
                  for k, m in seeds.items()]
        lines.append("")
    for n, res in results.items():
        ours, nv = res["ours"], res["naive"]
        lines += [f"### {n:,} records", "",
                  "| stage | naive | topicgraph | naive / topicgraph | CPU s (naive / topicgraph) | "
                  "peak MB (naive / topicgraph) | target at 100k |",
                  "|---|---|---|---|---|---|---|"]
        for name in list(dict.fromkeys([*ours, *[k for k in nv if not k.startswith("_")]])):
            o, v = ours.get(name, Measure()), nv.get(name, Measure())
            ratio = f"{v.median / o.median:.1f}×" if o.median and v.median else "—"
            peak = f"{v.peak:.0f} / {o.peak:.0f}" if v.peak and o.peak else (f"— / {o.peak:.0f}" if o.peak else "—")
            target = TARGETS.get(name)
            tgt = "—" if target is None else f"≤ {fmt_s(target)}"
            if name in MEMORY_TARGETS:
                tgt += f", ≤ {MEMORY_TARGETS[name]:.0f} MB"
            ours_cell = o.note if o.note and not o.seconds else fmt_s(o.median)
            if v.note and v.seconds:
                name_cell = f"{name} (naive: {v.note})"
            else:
                name_cell = name
            cpu = (f"{v.cpu_median or 0:.1f} / {o.cpu_median:.1f}" if o.cpu_median and v.cpu_median else
                   f"— / {o.cpu_median:.1f}" if o.cpu_median else "—")
            lines.append(f"| {name_cell} | {fmt_s(v.median)} | {ours_cell} | {ratio} | {cpu} | {peak} | {tgt} |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-repeat", type=int, default=0, help="repeats of the naive pipeline (default --repeat)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-naive", action="store_true", help="same as leaving naive out of --only")
    parser.add_argument("--only", default=None, help=f"comma-separated groups of stages to run, of {','.join(GROUPS)} "
                                                     "(build always runs for each size; default: every group)")
    parser.add_argument("--corpus-cache", default=str(ROOT / "bench" / "corpus"))
    parser.add_argument("--work", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--out", default=None, help="append the report to this Markdown file")
    parser.add_argument("--pictures", default=None, metavar="N=STORE,...",
                        help="only time the pictures (png, svg, html) of these existing builds")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    args.only = set(args.only.split(",")) if args.only else (set(GROUPS) - {"naive"} if args.skip_naive else None)
    started = time.strftime("%Y-%m-%d %H:%M")
    if args.pictures:
        stores = {int(k): Path(v) for k, v in (item.split("=", 1) for item in args.pictures.split(","))}
        text = (f"### Static pictures, {started}\n\n`python bench/run.py --pictures ... --repeat {args.repeat}` "
                f"({os.cpu_count()} cores, Python {platform.python_version()}); a whole `topicgraph export` each, "
                "store loading included.\n\n" + bench_pictures(stores, args, work))
        print(text)
        if args.out:
            with open(args.out, "a", encoding="utf-8") as fh:
                fh.write("\n" + text + "\n")
        return 0
    results = {}
    seeds = bench_seeds(args, work) if wanted(args, "seeds") else {}
    for n in (int(s) for s in args.sizes.split(",") if s):
        print(f"benchmarking {n} records…", file=sys.stderr)
        results[n] = bench_size(n, args, work)
    text = report(results, args, started, seeds)
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as fh:
            fh.write("\n" + text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
