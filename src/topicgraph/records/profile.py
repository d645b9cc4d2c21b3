"""Mapping profiles: which front-matter field plays which role, declared in a small TOML file, no code."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import TopicgraphError
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["Profile", "DEFAULT_PROFILE", "load_profile", "ROLES", "LIST_ROLES"]

#: Every role a field can play, with the default (seed layout) paths tried in order; the first present wins.
ROLES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title",),
    "description": ("description",),
    "authors": ("authors", "author"),
    "date": ("date",),
    "last_mod": ("lastMod",),
    "link_brand": ("link.brand",),
    "link_href": ("link.href",),
    "link_original": ("link.original",),
    "topics": ("communityTopics",),
    "tags": ("tags",),
    "categories": ("categories",),
    "slug": ("slug",),
    "aliases": ("aliases",),
    "md_name": ("mdName",),
    "featured_image": ("featuredImage",),
    "community": ("identifier",),
    "mast_head": ("mastHead",),
    "type": ("type",),
    "source": ("source",),
    "breadcrumbs": ("breadcrumbs",),
}

#: the roles that hold a list; a profile's ``[lists]`` may split one written as a single text
LIST_ROLES = ("topics", "authors", "tags", "categories", "aliases", "breadcrumbs")

_CASES = ("preserve", "lower", "title", "upper")


@dataclass(frozen=True)
class Profile:
    """How to read one site's front matter.

    ``fields`` maps each role to the dotted paths tried in order. Topics are ``Vendor: Label`` strings split at
    ``separator``; a topic with no vendor goes to ``default_vendor`` when one is set (else it is an error), with its
    label's case changed by ``label_case``. ``lists`` maps a list role to the separator its field is split at when
    a record writes the list as one text (``tags: AI, FDA``). ``limits`` are the caps one record is held to.

    >>> DEFAULT_PROFILE.paths("link_brand")
    ('link.brand',)
    """

    name: str = "seeds"
    fields: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(ROLES))
    separator: str = ":"
    default_vendor: str | None = None
    label_case: str = "preserve"
    source_file: str | None = None
    limits: Limits = DEFAULT_LIMITS
    lists: dict[str, str] = field(default_factory=dict)

    def paths(self, role: str) -> tuple[str, ...]:
        return self.fields.get(role, ())

    @functools.cached_property
    def split_paths(self) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
        """Each role's dotted paths with their parts, split once per profile rather than once per record.

        >>> DEFAULT_PROFILE.split_paths["link_brand"]
        (('link.brand', ('link', 'brand')),)
        """
        return {role: tuple((p, tuple(p.split("."))) for p in paths) for role, paths in self.fields.items()}


DEFAULT_PROFILE = Profile()


def _as_paths(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TopicgraphError(f"{where}: expected a field name or a list of field names, found {value!r}")


def load_profile(path: str | Path) -> Profile:
    """Read a profile from TOML; unknown keys and roles are errors, so a typo never passes silently.

    The file has an optional ``name``, a ``[fields]`` table (role = "path" or ["path", ...]), a ``[topics]``
    table (``separator``, ``default_vendor``, ``label_case``), a ``[lists]`` table (list role = the separator a
    list written as one text is split at, e.g. ``tags = ","``) and a ``[limits]`` table (the per-record caps of
    :class:`~topicgraph.records.limits.Limits`: ``topics``, ``authors``, ``keys``, ``items``, ``term_bytes``).
    Roles not given keep the seed layout's paths; ``role = []`` turns a role off.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TopicgraphError(f"profile {path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TopicgraphError(f"profile {path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"name", "fields", "topics", "lists", "limits"}
    if unknown:
        raise TopicgraphError(f"profile {path}: unknown key(s) {sorted(unknown)}: use name, [fields], [topics], "
                              "[lists] and [limits]")
    fields = dict(ROLES)
    for role, value in (data.get("fields") or {}).items():
        if role not in ROLES:
            raise TopicgraphError(f"profile {path}: [fields] has unknown role {role!r}; roles are: {', '.join(ROLES)}")
        fields[role] = _as_paths(value, f"profile {path}: [fields] {role}")
    topics = data.get("topics") or {}
    unknown = set(topics) - {"separator", "default_vendor", "label_case", "fields"}
    if unknown:
        raise TopicgraphError(f"profile {path}: [topics] has unknown key(s) {sorted(unknown)}")
    if "fields" in topics:  # a convenience: [topics] fields = [...] is the same as [fields] topics = [...]
        fields["topics"] = _as_paths(topics["fields"], f"profile {path}: [topics] fields")
    case = topics.get("label_case", "preserve")
    if case not in _CASES:
        raise TopicgraphError(f"profile {path}: [topics] label_case must be one of {', '.join(_CASES)}, not {case!r}")
    separator = topics.get("separator", ":")
    if not isinstance(separator, str) or not separator:
        raise TopicgraphError(f"profile {path}: [topics] separator must be a non-empty string")
    vendor = topics.get("default_vendor")
    if vendor is not None and (not isinstance(vendor, str) or not vendor.strip()):
        raise TopicgraphError(f"profile {path}: [topics] default_vendor must be a non-empty string")
    return replace(DEFAULT_PROFILE, name=str(data.get("name", path.stem)), fields=fields, separator=separator,
                   default_vendor=vendor.strip() if vendor else None, label_case=case, source_file=str(path),
                   limits=_limits(data.get("limits") or {}, path), lists=_lists(data.get("lists") or {}, path))


def _lists(table: object, path: Path) -> dict[str, str]:
    if not isinstance(table, dict):
        raise TopicgraphError(f"profile {path}: [lists] must be a table of role = \"separator\"")
    for role, sep in table.items():
        if role not in LIST_ROLES:
            raise TopicgraphError(f"profile {path}: [lists] has unknown role {role!r}; list roles are: "
                                  f"{', '.join(LIST_ROLES)}")
        if not isinstance(sep, str) or not sep.strip() or len(sep) > 10:
            raise TopicgraphError(f"profile {path}: [lists] {role} must be a separator of 1 to 10 characters, "
                                  f"such as \",\" or \";\", not {sep!r}")
    return dict(table)


def _limits(table: dict, path: Path) -> Limits:
    unknown = set(table) - set(Limits.names())
    if unknown:
        raise TopicgraphError(f"profile {path}: [limits] has unknown key(s) {sorted(unknown)}; the caps are: "
                              f"{', '.join(Limits.names())}")
    for cap, value in table.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise TopicgraphError(f"profile {path}: [limits] {cap} must be a positive whole number, not {value!r}")
    return replace(DEFAULT_LIMITS, **table)
