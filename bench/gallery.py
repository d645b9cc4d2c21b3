"""The gallery of docs/export.md: generated corpora of 500, 10,000 and 100,000 records (seed 19), each built once
(cached), exported as the HTML page (screenshots in headless Chromium) and as a static PNG.

    python bench/gallery.py --out docs/img              # what `make gallery` runs
    python bench/gallery.py --sizes 500 --out /tmp/img  # one size

Prints how long each export took, so the gallery doubles as a smoke benchmark of the pictures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TG = [sys.executable, "-m", "topicgraph"]
sys.path.insert(0, str(ROOT))


def corpus(n: int, seed: int, cache: Path) -> Path:
    """The build of a generated corpus of ``n`` records, made once and kept in ``cache``."""
    records, tax, store = cache / f"rec-{n}-{seed}", cache / f"tax-{n}-{seed}", cache / f"graph-{n}-{seed}"
    if not (store / "build-report.json").exists():
        subprocess.run([*TG, "generate", str(records), "-n", str(n), "--seed", str(seed), "--taxonomy", str(tax),
                        "--force"], check=True)
        subprocess.run([*TG, "build", str(records), "--taxonomy", str(tax), "--out", str(store), "-q"], check=True)
    return store


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def screenshots(page: Path, out: Path, n: int) -> None:
    """The page's first view, and for the larger corpora its cluster overview and one topic's local graph."""
    from tests.browser import Browser

    with Browser(timeout=120) as browser:
        tab = browser.new_page(1280, 760)
        tab.goto(page.resolve().as_uri(), timeout=120)
        tab.wait_for("document.body.dataset.ready === 'true'", timeout=120)
        time.sleep(0.5)
        tab.screenshot(out / f"page-{n}.png")
        if n >= 10000:
            tab.evaluate("topicgraphView.setView('overview')")
            time.sleep(0.5)
            tab.screenshot(out / f"page-{n}-overview.png")
            tab.evaluate("topicgraphView.focus(topicgraphView.cy.nodes().filter(n => n.data('kind') === 'topic')"
                         ".sort((a, b) => b.data('pagerank') - a.data('pagerank'))[0])")
            time.sleep(0.8)
            tab.screenshot(out / f"page-{n}-topic.png")
        if tab.errors:
            raise SystemExit(f"{page}: {tab.errors}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,10000,100000")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--dpi", type=int, default=40, help="of the static PNGs (small files for the docs)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    args.cache.mkdir(parents=True, exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        store = corpus(n, args.seed, args.cache)
        page = args.cache / f"topics-{n}.html"
        took = {"html": timed([*TG, "export", "--store", str(store), "-o", str(page), "-q",
                               "--title", f"{n:,} generated records"])}
        screenshots(page, args.out, n)
        took["png"] = timed([*TG, "export", "--store", str(store), "-o", str(args.out / f"picture-{n}.png"), "-q",
                             "--dpi", str(args.dpi), "--title", f"{n:,} generated records"])
        took["svg"] = timed([*TG, "export", "--store", str(store), "-o", str(args.cache / f"picture-{n}.svg"), "-q"])
        print(f"{n:>7,} records: " + ", ".join(f"{k} {v:.1f} s" for k, v in took.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
