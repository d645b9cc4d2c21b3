"""Text extraction: HTML bodies to plain text, and the title, byline, date and clean body of scraped articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["html_to_text", "PlainArticle", "extract_plain", "parse_human_date"]

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
               "section", "article", "header", "footer", "figure", "figcaption", "pre", "table", "hr"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "svg"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: D401 - HTMLParser API
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _tidy(text: str) -> str:
    paras = []
    for para in re.split(r"\n\s*\n", text):
        line = " ".join(para.replace("\xa0", " ").split())
        if line:
            paras.append(line)
    return "\n\n".join(paras)


_SIMPLE_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\s*/?>")


def _block_or_nothing(m: re.Match) -> str:
    tag = m.group(1).lower()
    if tag in _SKIP_TAGS:
        return "<"  # its content must be dropped: leave a "<" so that the caller falls back to the parser
    return "\n\n" if tag in _BLOCK_TAGS else ""


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, one blank line between blocks.

    >>> html_to_text("<p>Hello&nbsp;<b>world</b></p><p>Second<script>x()</script></p>")
    'Hello world\\n\\nSecond'
    """
    if "<" not in html and "&" not in html:
        return _tidy(html)
    if "&" not in html:
        # the usual body: bare tags such as <p>, </p>, <br/> around text. Blocks become blank lines and other tags
        # vanish, as the parser below would do; anything else (attributes, comments, a stray <, entities,
        # <script>) goes to the parser
        marked = _SIMPLE_TAG.sub(_block_or_nothing, html)
        if "<" not in marked:
            return _tidy(marked)
    return _parsed_html_to_text(html)


def _parsed_html_to_text(html: str) -> str:
    """:func:`html_to_text` through Python's HTML parser, for any HTML (the reference for the fast path)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return _tidy("".join(parser.parts))


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(rf"^{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(r"^(?P<year>\d{4})-(?P<nmonth>\d{2})-(?P<day>\d{2})$"),
]
_DATE_PREFIX = re.compile(r"^(?:posted|published|updated|date)(?:\s+on)?\s*:?\s*", re.I)


def parse_human_date(text: str) -> tuple[int, int, int] | None:
    """``(year, month, day)`` from a date line such as ``July 8, 2016``, or ``None``.

    >>> parse_human_date("July 8, 2016")
    (2016, 7, 8)
    >>> parse_human_date("Published on 3rd Sept 2019")
    (2019, 9, 3)
    """
    text = _DATE_PREFIX.sub("", text.strip())
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            parts = m.groupdict()
            month = int(parts["nmonth"]) if parts.get("nmonth") else _MONTHS[parts["month"].lower().rstrip(".")]
            return int(parts["year"]), month, int(parts["day"])
    return None


_NAME_WORD = r"[A-Z][\w'’.\-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|de|da|del|van|von|der|le|la|bin|al))*"
_BYLINE = re.compile(
    rf"^(?://\s*)?(?:written\s+)?by:?\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)\s*(?://)?\s*$", re.I)

_CUT_MARKERS = re.compile(
    r"^(?:this content is only available to (?:members|subscribers)"
    r"|please log ?in\b|log ?in below to access|not a member yet"
    r"|leave a (?:reply|comment)|\d+ (?:responses?|comments?|replies|thoughts?) (?:to|on)\b"
    r"|drop us a line|contact us$|subscribe to (?:our|the) newsletter|sign up for (?:our|the) newsletter"
    r"|related (?:posts|articles)$|comments?$|share this(?: article| post)?:?$|you can use these tags)",
    re.I)
_JUNK_LINES = re.compile(
    r"^(?:[•·*\-]\s*)?(?:close button|this field is for validation purposes.*|purpose\*|required\*?|submit)$", re.I)
_CAPTION_LINE = re.compile(r"^[\w ,'’\-]{1,80}\s(?:graphic|image|photo|illustration|infographic|chart|logo)$", re.I)
_GLUED_CAPTION = re.compile(
    r"^(?:[Aa]n?\s+|[Tt]he\s+)?(?:[Hh]eadshot|[Pp]hoto(?:graph)?|[Ii]mage|[Pp]icture|[Pp]ortrait)\s+of\s[^.!?]{0,120}?[a-z)](?=[A-Z])")


@dataclass
class PlainArticle:
    """What a scraped article states about itself; ``None`` where the text does not say."""

    title: str | None = None
    title_line: int | None = None
    authors: list[str] = field(default_factory=list)
    author_line: int | None = None
    date: tuple[int, int, int] | None = None
    date_line: int | None = None
    body: str = ""
    removed: list[str] = field(default_factory=list)  # what boilerplate was dropped, for the report


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", names)
    return [" ".join(p.split()) for p in parts if p.strip()]


def _looks_like_title(text: str) -> bool:
    words = text.split()
    return (2 <= len(words) <= 25 and len(text) <= 160 and not text.endswith((".", ",", ";"))
            and not _BYLINE.match(text) and parse_human_date(text) is None)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def extract_plain(text: str) -> PlainArticle:
    """Find the title, byline and date a scraped article states, and keep its body without boilerplate.

    >>> a = extract_plain("A Title Here\\n\\nJuly 8, 2016\\n\\n// By Kyra Hagan //\\n\\nKyra HaganOne two.\\n\\n"
    ...                   "Leave a Reply\\n\\nspam")
    >>> (a.title, a.date, a.authors, a.body)
    ('A Title Here', (2016, 7, 8), ['Kyra Hagan'], 'One two.')
    """
    art = PlainArticle()
    paras: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = " ".join(raw.replace("\xa0", " ").split())
        if line:
            paras.append((number, line))
    head = 0
    if paras and _looks_like_title(paras[0][1]):
        art.title_line, art.title = paras[0]
        head = 1
    consumed: set[int] = set()
    for idx in range(head, min(len(paras), head + 5)):
        number, line = paras[idx]
        if art.date is None and (d := parse_human_date(line)) is not None:
            art.date, art.date_line = d, number
            consumed.add(idx)
            continue
        if not art.authors and (m := _BYLINE.match(line)):
            art.authors, art.author_line = _split_names(m.group("names")), number
            consumed.add(idx)
    body: list[str] = []
    seen: list[str] = []
    for idx in range(head, len(paras)):
        if idx in consumed:
            continue
        line = paras[idx][1]
        if _CUT_MARKERS.match(line):
            art.removed.append(f"everything from line {paras[idx][0]} ({line[:40]!r})")
            break
        if _JUNK_LINES.match(line) or _CAPTION_LINE.match(line):
            art.removed.append(f"line {paras[idx][0]} ({line[:40]!r})")
            continue
        m = _GLUED_CAPTION.match(line)
        if m:
            art.removed.append(f"image caption {m.group(0)!r}")
            line = line[m.end():]
        for name in art.authors:
            if line.startswith(name) and line[len(name):len(name) + 1].isupper():
                art.removed.append(f"image caption {name!r}")
                line = line[len(name):]
        norm = _norm(line)
        if norm and any(norm == s or (len(norm.split()) >= 8 and norm in s) for s in seen):
            art.removed.append(f"repeated pull quote on line {paras[idx][0]}")
            continue
        seen.append(norm)
        body.append(line)
    art.body = "\n\n".join(body)
    return art
