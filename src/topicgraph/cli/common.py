"""Options and error handling shared by the commands."""

from __future__ import annotations

import functools
import math
import os
import sys

import click

from ..errors import TopicgraphError

__all__ = ["store_option", "taxonomy_option", "shapes_option", "profile_option", "base_iri_option", "jobs_option",
           "max_bytes_option", "mapping_options", "report_format_option", "strict_option", "json_option",
           "quiet_option", "REPORT_FORMATS", "handle_errors", "progress_bar", "console", "Number", "plural"]

#: the formats of a findings report (topicgraph.validation.formats; named here so that --help imports nothing)
REPORT_FORMATS = ("text", "json", "junit", "sarif", "github")


def store_option(f):
    return click.option("--store", "store", default="graph", show_default=True, metavar="DIR",
                        type=click.Path(file_okay=False), help="Build folder to read the graph from.")(f)


# ------------------------------------------------------------------------------------------------ shared options
# Options that several commands take, each defined once; a command whose help says more about one passes it in.

def taxonomy_option(dest: str = "taxonomy"):
    return click.option("--taxonomy", dest, type=click.Path(exists=True), default=None,
                        help="Taxonomy folder (default: the shipped taxonomy/).")


shapes_option = click.option("--shapes", type=click.Path(exists=True), default=None,
                             help="SHACL shapes folder or file (default: the shipped ontology/shapes/).")
profile_option = click.option("--profile", type=click.Path(dir_okay=False), default=None,
                              help="Mapping profile (TOML) for other sites' front matter.")
max_bytes_option = click.option("--max-bytes", type=click.IntRange(1), default=None,
                                help="Refuse records larger than this (10 MiB).")


def base_iri_option(help: str | None = None):
    return click.option("--base-iri", default=None, metavar="IRI",
                        help=help or "Base IRI for articles, people, brands and graphs.")


def jobs_option(help: str | None = None):
    return click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
                        help=help or "Worker processes (default: the cores, at most 8).")


def mapping_options(*, base_iri_help: str | None = None, jobs_help: str | None = None):
    """How records are read and mapped, for the commands that map them (build, validate): --profile, --base-iri,
    --taxonomy, --jobs, --max-bytes, as one decorator stack."""
    return _stack(profile_option, base_iri_option(base_iri_help), taxonomy_option(), jobs_option(jobs_help),
                  max_bytes_option)


def report_format_option(help: str = "Output format."):
    return click.option("--format", "-f", "fmt", type=click.Choice(REPORT_FORMATS), default="text",
                        show_default=True, help=help)


def strict_option(help: str = "Warnings fail too (exit 1)."):
    return click.option("--strict", is_flag=True, help=help)


def json_option(help: str = "Print JSON on standard output."):
    return click.option("--json", "as_json", is_flag=True, help=help)


def quiet_option(help: str):
    return click.option("--quiet", "-q", is_flag=True, help=help)


def _stack(*decorators):
    """The decorators applied as if written one above the other, in this order (and so listed in --help)."""

    def apply(f):
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


class Number(click.FloatRange):
    """A float option that must be a finite number, within the bounds given if any: click's FLOAT and FloatRange
    let ``nan`` and ``inf`` through (nan compares false with every bound), which no option means."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.min is None and self.max is None:
            self.name = "float"

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number

    def _describe_range(self) -> str:
        return super()._describe_range() if self.min is not None or self.max is not None else ""


def handle_errors(f):
    """Turn the library's errors into a message and exit code 2 ("could not run"), never a traceback."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except TopicgraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except BrokenPipeError:
            reader_went_away()
        except (OSError, MemoryError) as exc:
            if os.environ.get("TOPICGRAPH_DEBUG"):
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper


def reader_went_away() -> None:
    """The reader of standard output closed it (``topicgraph taxonomy tree | head``): stop quietly, as a Unix
    tool killed by SIGPIPE would (exit 141), with nothing more written or complained about at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(141)


def console(err: bool = True):
    from rich.console import Console

    return Console(stderr=err, highlight=False, soft_wrap=True)


class progress_bar:
    """A rich progress bar on stderr for long runs; silent when stderr is not a terminal or with --quiet."""

    def __init__(self, label: str, *, enabled: bool = True, min_total: int = 200) -> None:
        self.label, self.enabled, self.min_total = label, enabled, min_total
        self.progress = None
        self.task = None

    def __enter__(self):
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.min_total:
            return
        if self.progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeRemainingColumn(), console=console(), transient=True)
            if not self.progress.console.is_terminal:
                self.enabled = False
                self.progress = None
                return
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        if done % 97 == 0 or done == total:
            self.progress.update(self.task, completed=done)

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 brand``, ``2 brands``; ``many`` for irregular plurals (``people``).

    >>> plural(1, "person", "people"), plural(3, "person", "people"), plural(0, "topic")
    ('1 person', '3 people', '0 topics')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"
