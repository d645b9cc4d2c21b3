"""What to generate (:class:`SynthConfig`) and what was generated (:class:`SynthCorpus`, :class:`Topic`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Everything not stated here is derived deterministically from ``seed``."""

    n: int                                      # number of records
    seed: int = 0
    plain_fraction: float = 0.03                # share of plain articles (no front matter), like seeds 002-004
    groups: int = 20                            # planted topic groups
    topics_per_group: int = 12
    in_group_share: float = 0.85                # share of an article's topics drawn from its own group
    topics_per_article: tuple[int, int] = (2, 6)
    authors: int | None = None                  # default max(5, n // 8), Zipf-distributed use
    brands: int | None = None                   # default max(50, n // 200), Zipf-distributed use
    vendors: tuple[str, ...] = ("Medigy", "Gartner", "Symplur")
    shard_size: int = 1000                      # files per sub-folder
    # planted pairs for measuring crosswalk suggestions (docs/crosswalks.md); 0 plants none and leaves the output
    # byte-identical to a corpus made without these options
    crosswalk_pairs: int = 0                    # cross-vendor pairs curators co-tag as one topic
    broader_pairs: int = 0                      # narrower -> broader pairs inside one vendor
    cotag_rate: float = 0.9                     # chance that a planted partner is added to an article

    def __post_init__(self) -> None:
        object.__setattr__(self, "topics_per_article", tuple(int(x) for x in self.topics_per_article))
        object.__setattr__(self, "vendors", tuple(str(v) for v in self.vendors))
        lo, hi = (self.topics_per_article + (0, 0))[:2]
        problems = []
        if len(self.topics_per_article) != 2 or not 1 <= lo <= hi:
            problems.append("topics_per_article must be (low, high) with 1 <= low <= high")
        if self.n < 0:
            problems.append("n must be >= 0")
        if not 0.0 <= self.plain_fraction <= 1.0:
            problems.append("plain_fraction must be in [0, 1]")
        if not 0.0 <= self.in_group_share <= 1.0:
            problems.append("in_group_share must be in [0, 1]")
        if self.groups < 1 or self.topics_per_group < 1:
            problems.append("groups and topics_per_group must be >= 1")
        elif hi > self.groups * self.topics_per_group:
            problems.append("topics_per_article high exceeds the number of topics")
        if self.crosswalk_pairs < 0 or self.broader_pairs < 0 or not 0.0 <= self.cotag_rate <= 1.0:
            problems.append("crosswalk_pairs and broader_pairs must be >= 0 and cotag_rate in [0, 1]")
        if self.shard_size < 1:
            problems.append("shard_size must be >= 1")
        if self.authors is not None and self.authors < 1 or self.brands is not None and self.brands < 1:
            problems.append("authors and brands must be >= 1")
        if not self.vendors or len(set(self.vendors)) != len(self.vendors) or any(
                not v or ":" in v or v != v.strip() for v in self.vendors):
            problems.append("vendors must be distinct, non-empty names without ':'")
        if problems:
            raise ValueError("invalid SynthConfig: " + "; ".join(problems))

    @property
    def n_authors(self) -> int:
        return self.authors if self.authors is not None else max(5, self.n // 8)

    @property
    def n_brands(self) -> int:
        return self.brands if self.brands is not None else max(50, self.n // 200)

    def to_json(self) -> dict:
        d = asdict(self)
        d["topics_per_article"] = list(self.topics_per_article)
        d["vendors"] = list(self.vendors)
        if not self.crosswalk_pairs and not self.broader_pairs:
            # nothing planted: the manifest stays as it was before these options existed
            for name in ("crosswalk_pairs", "broader_pairs", "cotag_rate"):
                del d[name]
        return d


@dataclass(frozen=True)
class Topic:
    """One topic of the vocabulary: ``key`` is ``"Vendor: Label"``; ``rank`` is its popularity rank in its group."""

    key: str
    vendor: str
    label: str
    group: int
    rank: int


@dataclass
class SynthCorpus:
    """What ``generate()`` wrote, with the planted ground truth (record ids are ``str``: the front-matter ``id``,
    or for plain articles the file name without extension, as the reader names them)."""

    root: Path
    files: list[Path]                           # in record order
    group_of_article: dict[str, int]            # record id -> planted group
    group_of_topic: dict[str, int]              # "Vendor: Label" -> planted group
    topics_of_article: dict[str, tuple[str, ...]] = field(default_factory=dict)   # the record's topics
    mentioned_of_article: dict[str, tuple[str, ...]] = field(default_factory=dict)  # labels its title/body state
    plain_articles: list[str] = field(default_factory=list)  # ids of the plain (no front matter) records
    topics: list[Topic] = field(default_factory=list)
    config: SynthConfig | None = None
    manifest: Path | None = None
    planted: dict[str, list[list[str]]] = field(default_factory=dict)  # "crosswalk"/"broader" -> topic-key pairs
