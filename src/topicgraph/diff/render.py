"""A diff as Markdown for a pull-request comment (summary table first, details folded, under a size budget),
as JSON (``schema.json`` beside this module), as SARIF of the introduced findings, and as text."""

from __future__ import annotations

import json
from importlib import resources

from ..errors import Finding, Severity
from .run import DiffReport

__all__ = ["render", "FORMATS", "MARKDOWN_LIMIT", "schema"]

FORMATS = ("markdown", "json", "sarif", "text")
#: GitHub refuses comments over 65,536 characters; keep well under it
MARKDOWN_LIMIT = 60_000
#: the first line of the comment, which `gh pr comment --edit-last` and the workflow look for
MARKER = "<!-- topicgraph diff -->"

_ROWS = [
    ("Records", "records_added", "records_removed", "records_changed", "moved", "records_moved"),
    ("Statements", "triples_added", "triples_removed", None, None, None),
    ("Taxonomy concepts", "concepts_added", "concepts_removed", "concepts_relabelled", "moved", "concepts_moved"),
    ("Findings", "findings_introduced", "findings_resolved", None, None, None),
]


def schema() -> dict:
    """The JSON Schema of :func:`render`'s ``json`` output."""
    return json.loads(resources.files("topicgraph.diff").joinpath("schema.json").read_text(encoding="utf-8"))


def render(report: DiffReport, fmt: str = "markdown") -> str:
    if fmt == "json":
        return json.dumps(report.data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        from ..validation.formats import to_sarif
        from ..validation.report import ValidationReport

        found = [Finding(f["file"], f["message"], severity=Severity[f["severity"].upper()], line=f["line"],
                         field=f["field"], rule=f["rule"], fix=f["fix"] or "")
                 for f in report.data["findings"]["introduced"]]
        return to_sarif(ValidationReport(found, sorted({f.file for f in found}), strict=report.strict))
    if fmt == "text":
        return _text(report)
    return markdown(report)


def _verdict(report: DiffReport) -> str:
    d = report.data
    if report.breaking:
        return "**breaking**: a removed or relabelled concept is still used by records"
    if report.exit_code:
        return f"**fails**: {d['findings']['introduced_errors']} error(s) introduced"
    if report.empty:
        return "no change to the graph"
    return "no breaking change, no error introduced"


def _cell(n: int) -> str:
    return str(n) if n else "·"


def _name(text: str | None) -> str:
    """Text for a table cell (a ``|`` would end the cell)."""
    return (text or "").replace("|", "\\|")


def markdown(report: DiffReport, limit: int = MARKDOWN_LIMIT) -> str:
    """The comment: a verdict, the summary table, then one folded section per layer. Past ``limit`` characters
    the remaining items are counted, not listed, with a pointer to the JSON artifact."""
    d, s = report.data, report.data["summary"]
    head = [MARKER, f"### topicgraph diff: `{d['base']['label']}` → `{d['head']['label']}`", "",
            f"Result: {_verdict(report)}.", "",
            "| | added | removed | changed | |", "|---|---:|---:|---:|---|"]
    for label, add, rem, chg, extra, extra_key in _ROWS:
        more = f"{s[extra_key]} {extra}" if extra_key and s[extra_key] else ""
        head.append(f"| {label} | {_cell(s[add])} | {_cell(s[rem])} | {_cell(s[chg]) if chg else ''} | {more} |")
    head.append(f"| Impact | | | | {s['counts_changed']} article counts, {s['related_changed']} related lists, "
                f"{s['clusters_moved']} clusters, {s['query_rows_changed']} query rows |")
    if s["breaking"]:
        head.append(f"| **Breaking** | | | | {s['breaking']} concept(s) removed or relabelled while in use |")
    head.append("")
    sections = [(title, lines) for title, lines in _sections(d) if lines]
    out = "\n".join(head)
    notes = "".join(f"\n> note: {note[:300]}" for note in d.get("notes", [])[:20])
    room = limit - len(out) - len(notes) - 400  # 400: the shortening note
    left_out = 0
    for n, (title, lines) in enumerate(sections):
        opening = f"\n<details{' open' if title.startswith('Breaking') else ''}><summary>{title}</summary>\n\n"
        closing = "\n</details>\n"
        # each section may use an equal share of what is left, so a long one never hides the ones after it
        share = room // (len(sections) - n) - len(opening) - len(closing) - 40
        body: list[str] = []
        size = 0
        for i, line in enumerate(lines):
            if size + len(line) + 1 > share:
                rest = len(lines) - i
                left_out += rest
                body.append(f"\n… and {rest} more, not shown")
                break
            body.append(line)
            size += len(line) + 1
        text = opening + "\n".join(body) + closing
        out += text
        room -= len(text)
    if left_out:
        out += (f"\n> This comment is shortened: {left_out} item(s) are not listed. The full report is in the JSON "
                "artifact (`topicgraph diff --format json`).\n")
    return (out + notes)[:limit]


def _values(values: list[str]) -> str:
    shown = ", ".join(v if len(v) <= 80 else v[:77] + "…" for v in values[:8])
    return (shown + (f" (+{len(values) - 8})" if len(values) > 8 else "")).replace("|", "\\|").replace("\n", " ")


def _change(old: list[str], new: list[str]) -> str:
    """``old → new`` for single values; for lists, what left and what joined."""
    if len(old) <= 1 and len(new) <= 1:
        return f"{_values(old) or '∅'} → {_values(new) or '∅'}"
    gone, came = [v for v in old if v not in new], [v for v in new if v not in old]
    return "; ".join(part for part in (f"+ {_values(came)}" if came else "",
                                       f"− {_values(gone)}" if gone else "") if part) or "reordered"


def _field(x: dict) -> str:
    return f" ({x['field']})" if x["field"] else ""


def _pairs(row: dict) -> list[str]:
    return [f"{k}={v}" for k, v in row.items()]


def _sections(d: dict) -> list[tuple[str, list[str]]]:
    r, t, f, i = d["records"], d["taxonomy"], d["findings"], d["impact"]
    out: list[tuple[str, list[str]]] = []
    out.append(("Breaking changes", [f"- `{b['concept']}`: {b['reason']}; still used by {len(b['records'])} "
                                     f"record(s): {', '.join(b['records'][:20])}" for b in t["breaking"]]))
    out.append((f"Findings introduced ({len(f['introduced'])})",
                [f"- **{x['severity']}** `{x['file']}`{_field(x)}: {x['message']} [{x['rule']}]"
                 for x in f["introduced"]]))
    out.append((f"Records added ({len(r['added'])})", [f"- `{x['id']}` ({x['file']})" for x in r["added"]]))
    out.append((f"Records removed ({len(r['removed'])})", [f"- `{x['id']}` ({x['file']})" for x in r["removed"]]))
    changed = []
    for x in r["changed"]:
        changed.append(f"- `{x['id']}` ({x['file']})")
        for fld in x["fields"]:  # four spaces: a nested item in CommonMark and in Python-Markdown alike
            changed.append(f"    - {fld['field']}: {_change(fld['old'], fld['new'])}")
    out.append((f"Records changed ({len(r['changed'])})", changed))
    tax = [f"- added `{c['label']}`" for c in t["concepts"]["added"]]
    tax += [f"- removed `{c['label']}`" for c in t["concepts"]["removed"]]
    tax += [f"- relabelled `{c['old']}` → `{c['new']}`" for c in t["concepts"]["relabelled"]]
    tax += [f"- moved `{c['label']}`: broader {_values(c['old'])} → {_values(c['new'])}" for c in t["concepts"]["moved"]]
    tax += [f"- mapping added {m['subject']} {m['kind']} {m['object']}" for m in t["mappings"]["added"]]
    tax += [f"- mapping removed {m['subject']} {m['kind']} {m['object']}" for m in t["mappings"]["removed"]]
    out.append(("Taxonomy", tax))
    counts = []
    for kind, rows in i["counts"].items():
        counts += [f"| {kind[:-1]} | {_name(x['name'])} | {x['base']} | {x['head']} | {x['head'] - x['base']:+d} |"
                   for x in rows]
    if counts:
        counts = ["| kind | name | base | head | Δ |", "|---|---|---:|---:|---:|"] + counts
    out.append(("Article counts", counts))
    out.append((f"Related items ({len(i['related'])} lists changed)",
                [f"- {x['name'] or x['article']}{' (touched)' if x['touched'] else ''}: churn {x['churn']}, "
                 f"RBO {x['rbo']:.2f}" for x in i["related"]]))
    out.append(("Clusters", [f"- {_values(c['base'])}: left {_values(c['left']) or '∅'}; joined "
                             f"{_values(c['joined']) or '∅'}" for c in i["clusters"]]))
    queries = []
    for q in i["queries"]:
        queries += [f"- `{q['query']}` + {_values(_pairs(row))}" for row in q["added"]]
        queries += [f"- `{q['query']}` − {_values(_pairs(row))}" for row in q["removed"]]
    out.append(("Named queries", queries))
    out.append((f"Findings resolved ({len(f['resolved'])})",
                [f"- `{x['file']}`: {x['message']} [{x['rule']}]" for x in f["resolved"]]))
    return out


def _text(report: DiffReport) -> str:
    d, s = report.data, report.data["summary"]
    lines = [f"topicgraph diff {d['base']['label']} → {d['head']['label']}: {_verdict(report).replace('**', '')}"]
    lines += [f"  {k.replace('_', ' ')}: {v}" for k, v in s.items() if v]
    for title, body in _sections(d):
        if body and not title.startswith(("Article counts",)):
            lines.append(f"\n{title}")
            lines += [f"  {b}" for b in body[:200]]
            if len(body) > 200:
                lines.append(f"  … and {len(body) - 200} more (use --format json)")
    lines += [f"note: {n}" for n in d.get("notes", [])]
    return "\n".join(lines) + "\n"
