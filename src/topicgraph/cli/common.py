"""Options and error handling shared by the commands."""

from __future__ import annotations

import functools
import math
import os
import sys

import click

from ..errors import TopicgraphError

__all__ = ["store_option", "handle_errors", "progress_bar", "console", "Number"]


def store_option(f):
    return click.option("--store", "store", default="graph", show_default=True, metavar="DIR",
                        type=click.Path(file_okay=False), help="Build folder to read the graph from.")(f)


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
