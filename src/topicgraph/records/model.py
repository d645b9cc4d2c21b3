"""The typed record: what one input file says, whatever its layout."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Finding

__all__ = ["Record", "Link", "Image", "Topic", "DateValue"]


@dataclass(frozen=True)
class DateValue:
    """A date or date-time as an ``xsd`` lexical form and its datatype (``date`` or ``dateTime``)."""

    lexical: str
    datatype: str  # "date" | "dateTime"


@dataclass(frozen=True)
class Link:
    brand: str | None = None
    href: str | None = None
    original: str | None = None


@dataclass(frozen=True)
class Image:
    href: str | None = None
    alt: str | None = None
    format: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Topic:
    """A curated topic ``Vendor: Label``; ``vendor`` names the concept scheme."""

    vendor: str
    label: str

    def __str__(self) -> str:
        return f"{self.vendor}: {self.label}"


@dataclass
class Record:
    """One article as read from one file.

    ``format`` is ``"front-matter"`` or ``"plain"``; ``missing`` names the fields a plain article does not state;
    ``extra`` keeps every front-matter key the profile does not map (it is written as ``tg:frontMatter`` JSON);
    ``lines`` gives the 1-based line of each field in the file, so findings can point at it.
    """

    path: str
    sha256: str
    size: int
    format: str
    id: str
    title: str | None = None
    description: str | None = None
    body: str = ""
    authors: list[str] = field(default_factory=list)
    date: DateValue | None = None
    last_mod: DateValue | None = None
    link: Link = field(default_factory=Link)
    topics: list[Topic] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    slug: str | None = None
    aliases: list[str] = field(default_factory=list)
    md_name: str | None = None
    featured_image: Image | None = None
    community: str | None = None
    mast_head: str | None = None
    type: str | None = None
    source: str | None = None
    breadcrumbs: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def line_of(self, name: str) -> int | None:
        return self.lines.get(name)
