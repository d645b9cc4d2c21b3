"""The structure promised in docs/architecture.md: layered imports, no private names across packages, small modules."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .contracts import private_name_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "topicgraph"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 600


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert found, "import-linter is a test dependency (pip install -e '.[test]')"
    return found


def test_import_contracts_are_kept():
    """The layers, private-module, private-name and acyclic-siblings contracts of pyproject.toml hold (imports inside functions
    count: grimp reads every import statement)."""
    run = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "4 kept, 0 broken" in run.stdout


def test_the_private_name_contract_sees_a_private_name_taken_across_packages(tmp_path, monkeypatch):
    pkg = tmp_path / "demo_pkg"
    for folder, files in {"low": {"__init__.py": "", "m.py": "_hidden = 1\nshown = 2\n"},
                          "high": {"__init__.py": "", "n.py": "from ..low.m import _hidden, shown\n",
                                   "ok.py": "from ..low.m import shown\nfrom ._near import _x\n",
                                   "_near.py": "_x = 3\n"}}.items():
        (pkg / folder).mkdir(parents=True)
        for name, text in files.items():
            (pkg / folder / name).write_text(text)
    (pkg / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert private_name_imports("demo_pkg") == [("demo_pkg.high.n", 1, "demo_pkg.low.m", "_hidden")]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_each_module_says_what_it_is_for_and_stays_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < MAX_LINES, f"{path.name} has grown past {MAX_LINES} lines: split it by job"
    doc = ast.get_docstring(ast.parse(text))
    if path.name == "__main__.py" and not doc:
        doc = text.splitlines()[0].lstrip("# ")
    assert doc and doc.splitlines()[0].strip(), f"{path.name} does not open with a line saying what it is for"


def test_no_hand_written_http_server():
    """The endpoint is a WSGI application served by waitress, not a server built on http.server."""
    offenders = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("socketserver",)
                          or n.startswith("http.server")]
    assert offenders == []
