"""The validation report: every finding, the files checked, and the verdict CI acts on."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Finding, Severity

__all__ = ["ValidationReport"]


@dataclass
class ValidationReport:
    """What :func:`topicgraph.validation.validate` found.

    ``files`` lists every file checked (in order); ``findings`` may also name taxonomy files. The report
    *fails* when a finding is at or above :attr:`fail_at` (errors; warnings too with ``strict``).

    >>> r = ValidationReport([Finding("a.md", "no title", severity=Severity.WARNING)], ["a.md"])
    >>> r.ok, r.exit_code, ValidationReport(r.findings, r.files, strict=True).exit_code
    (True, 0, 1)
    """

    findings: list[Finding]
    files: list[str]
    strict: bool = False
    seconds: float = 0.0
    cached: int = 0
    stats: dict = field(default_factory=dict)

    @property
    def fail_at(self) -> Severity:
        return Severity.WARNING if self.strict else Severity.ERROR

    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.severity >= self.fail_at]

    def _severities(self) -> dict:
        """How many findings of each severity (remembered while the list of findings stays the same length)."""
        memo = self.__dict__.get("_sev_memo")
        if memo is None or memo[0] is not self.findings or memo[1] != len(self.findings):
            from collections import Counter

            memo = (self.findings, len(self.findings), Counter(f.severity for f in self.findings))
            self.__dict__["_sev_memo"] = memo
        return memo[2]

    @property
    def ok(self) -> bool:
        return not any(n for sev, n in self._severities().items() if sev >= self.fail_at)

    @property
    def exit_code(self) -> int:
        """0: nothing at or above the failing severity; 1: something was (2, "could not run", is raised instead)."""
        return 0 if self.ok else 1

    @property
    def counts(self) -> dict[str, int]:
        sev = self._severities()
        return {"files": len(self.files), "cached": self.cached, "errors": sev[Severity.ERROR],
                "warnings": sev[Severity.WARNING], "infos": sev[Severity.INFO],
                "files_with_findings": len({f.file for f in self.findings})}

    def by_file(self) -> dict[str, list[Finding]]:
        """Findings grouped by file: files in the order checked, then any other file named (the taxonomy)."""
        groups: dict[str, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(f.file, []).append(f)
        order = {name: i for i, name in enumerate(self.files)}
        return dict(sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))

    def summary_line(self) -> str:
        c = self.counts
        verdict = "FAILED" if not self.ok else "passed"
        plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
        cached = f" ({c['cached']} from cache)" if c["cached"] else ""
        return (f"{verdict}: {plural(c['files'], 'file')} checked{cached} in {self.seconds:.2f}s: "
                f"{plural(c['errors'], 'error')}, {plural(c['warnings'], 'warning')}, {plural(c['infos'], 'info')}"
                f"{' (--strict: warnings fail)' if self.strict else ''}")

    def to_dict(self) -> dict:
        return {"ok": self.ok, "strict": self.strict, "fail_at": str(self.fail_at), "counts": self.counts,
                "seconds": round(self.seconds, 3), "files": self.files,
                "findings": [f.to_dict() for f in self.findings]}
