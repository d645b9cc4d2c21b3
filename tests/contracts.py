"""An import-linter contract type: no module imports a private name (``_x``) defined in another package.

import-linter's own ``private_modules`` contract covers private *modules*; this one covers private *names*
(``from ..pipeline import _IDS_FOLD``), which it does not see.  A module may take a private name from a module of
its own package (siblings share helpers); a name needed across packages is made public in the lower layer.
``pyproject.toml`` names it under ``[tool.importlinter]`` as ``private_names: tests.contracts.PrivateNamesContract``.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _package(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def private_name_imports(root: str) -> list[tuple[str, int, str, str]]:
    """Every ``from X import _name`` in ``root`` whose X lies outside the importer's package.

    Returns (importer, line, imported module, name) rows.
    """
    spec = importlib.util.find_spec(root)
    base = Path(spec.origin).parent
    rows = []
    for path in sorted(base.rglob("*.py")):
        parts = list(path.relative_to(base.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        module = ".".join(parts)
        package = _package(module, is_package)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                source = ".".join(anchor + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if not source.startswith(root):
                continue
            owner = _package(source, _is_package(source))
            for alias in node.names:
                # ``from pkg import _module`` is import-linter's own private_modules contract's business
                if _private(alias.name) and owner != package and not _is_module(f"{source}.{alias.name}"):
                    rows.append((module, node.lineno, source, alias.name))
    return rows


def _is_package(module: str) -> bool:
    spec = importlib.util.find_spec(module)
    return bool(spec and spec.submodule_search_locations)


def _is_module(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


class PrivateNamesContract(Contract):
    """Private names (``_x``) are imported only by modules of the package that defines them."""

    type_name = "private_names"
    root = fields.StringField()

    def check(self, graph, verbose: bool) -> ContractCheck:
        rows = private_name_imports(self.root)
        return ContractCheck(kept=not rows, metadata={"rows": rows})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, line, source, name in check.metadata["rows"]:
            output.print_error(f"{importer}:{line} imports the private name {name} from {source}; "
                               "make it public in the lower layer or move it into the importer's package")
            output.new_line()
