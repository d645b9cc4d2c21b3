"""One record at a time: front-matter Markdown like ``seeds/000`` or a plain article like ``seeds/003``."""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from random import Random

from .config import SynthConfig, Topic
from .names import author_names, brand_names, zipf_cum, zipf_pick
from .text import (EPOCH, SPAN_SECONDS, headline, iso_timestamp, paragraphs, slugify, topic_sentences,
                   yaml_quote)
from .vocabulary import SEED_TOPICS, build_vocabulary
from .words import (AIRLINES, CITIES, COMMENT_TAGS, COMMUNITIES, DROP_LINE, IMAGE_SIZES, MEMBERS_BOILERPLATE,
                    MONTH_NAMES, SPAM, SUBHEADINGS, SUBHEADINGS_T, URL_PATTERNS)


_NS = uuid.UUID("7f3c2a4e-5b1d-5e0f-9a6b-3c8d1e2f4a5b")  # namespace of the synthetic mdName values
_ZIPF_TOPICS = 1.0
_ZIPF_AUTHORS = 1.1
_ZIPF_BRANDS = 1.0


class RecordMaker:
    """Makes record ``index`` of a corpus from the config and a random generator; keeps the vocabulary, authors
    and brands the records draw from."""

    def __init__(self, config: SynthConfig):
        c = self.c = config
        self.vocab = build_vocabulary(c.seed, c.groups, c.topics_per_group, c.vendors)
        self.keys = [t.key for t in self.vocab]
        self.labels = [t.label for t in self.vocab]
        self.by_group = [list(range(g * c.topics_per_group, (g + 1) * c.topics_per_group)) for g in range(c.groups)]
        self.topic_cum = zipf_cum(c.topics_per_group, _ZIPF_TOPICS)
        self.authors = author_names(c.seed, c.n_authors)
        self.author_cum = zipf_cum(len(self.authors), _ZIPF_AUTHORS)
        self.brands = brand_names(c.seed, c.n_brands)
        self.brand_cum = zipf_cum(len(self.brands), _ZIPF_BRANDS)
        self.seed_topics = [i for i, t in enumerate(self.vocab)
                            if (t.vendor, t.label) in SEED_TOPICS][:c.topics_per_article[1]]
        self.crosswalk, self.broader = plant_pairs(self.vocab, c)
        self.partners: dict[int, list[int]] = {}
        for a, b in self.crosswalk:
            self.partners.setdefault(a, []).append(b)
            self.partners.setdefault(b, []).append(a)
        for narrower, broader in self.broader:
            self.partners.setdefault(narrower, []).append(broader)

    # -- planted structure --------------------------------------------------------------------------------------
    def draw_topics(self, rng: Random, group: int) -> list[int]:
        c = self.c
        k = rng.randint(*c.topics_per_article)
        own = self.by_group[group]
        picked: list[int] = []
        seen: set[int] = set()
        n_all = len(self.keys)
        while len(picked) < k:
            in_group = rng.random() < c.in_group_share and len(seen.intersection(own)) < len(own)
            while True:
                t = own[zipf_pick(rng, self.topic_cum)] if in_group else rng.randrange(n_all)
                if t not in seen:
                    break
            seen.add(t)
            picked.append(t)
        return picked

    def cotag(self, rng: Random, topics: list[int]) -> list[int]:
        """Add each planted partner of the drawn topics with probability ``cotag_rate`` (curators tagging a
        topic's equivalent in another vendor's scheme, or a narrow topic's broader one)."""
        out = list(topics)
        for t in topics:
            for partner in self.partners.get(t, ()):
                if partner not in out and rng.random() < self.c.cotag_rate:
                    out.append(partner)
        return out

    def author(self, rng: Random, plain: bool) -> str:
        for _ in range(8):
            name = self.authors[zipf_pick(rng, self.author_cum)]
            if not plain or "@" not in name:
                return name
        return "Kyra Hagan"

    # -- one record ---------------------------------------------------------------------------------------------
    def record(self, rng: Random, index: int) -> tuple[str, bool, int, list[int], list[int], str, str | None]:
        """(text, plain, group, topics, mentioned, mdName, id) of record ``index`` (id None: plain)."""
        c = self.c
        md = str(uuid.uuid5(_NS, f"{c.seed}/{index}"))
        plain = rng.random() < c.plain_fraction
        group = rng.randrange(c.groups)
        topics = self.draw_topics(rng, group)
        if self.partners:
            topics = self.cotag(rng, topics)
        if index == 0 and self.seed_topics:
            plain, group, topics = False, 0, list(self.seed_topics)
        secs, micro = rng.randrange(SPAN_SECONDS), rng.randrange(1_000_000)
        date = EPOCH + _dt.timedelta(seconds=secs)
        if plain:
            return self.plain(rng, topics, date, md), plain, group, topics, topics, md, None
        text, mentioned, rid = self.front_matter(rng, index, group, topics, date, micro, md)
        return text, plain, group, topics, mentioned, md, rid

    def plain(self, rng: Random, topics: list[int], date: _dt.datetime, md: str) -> str:
        labels = [self.labels[t] for t in topics]
        title_labels = labels[:2] if len(labels) >= 2 and rng.random() < 0.4 else labels[:1]
        title = headline(rng, title_labels)
        body_labels = [lab for lab in labels if lab not in title_labels] or labels[:1]
        author = self.author(rng, plain=True)
        sents = topic_sentences(rng, body_labels, rng.randint(10, 18))
        paras = paragraphs(rng, sents, 2, 4)
        # the author photo's caption glued to the first paragraph, as in seed 003 (never onto a label)
        if rng.random() < 0.25 and not any(paras[0].startswith(label) for label in body_labels):
            paras[0] = author + paras[0]
        parts = [title, f"{MONTH_NAMES[date.month - 1]} {date.day}, {date.year}",
                 f"// By {author} //" if rng.random() < 0.5 else f"By {author}"]
        headings = rng.sample(SUBHEADINGS, 4)
        for i, p in enumerate(paras):
            if i and rng.random() < 0.35:
                heading = (headings.pop() if rng.random() < 0.6 and headings or not body_labels
                           else rng.choice(SUBHEADINGS_T).format(T=rng.choice(body_labels)))
                if heading not in parts:
                    parts.append(heading)
            parts.append(p)
        text = "\n\n".join(parts)
        kind = rng.random()
        if kind < 0.4:
            text += "\n\n\n" + MEMBERS_BOILERPLATE
        elif kind < 0.75:
            k = rng.randint(1, 6)
            comments = "\n\n".join(
                f"  {i + 1}. " + rng.choice(SPAM).format(air=rng.choice(AIRLINES), city=rng.choice(CITIES))
                for i in range(k))
            text += (f"\n\n{k} Response{'s' if k > 1 else ''} to “{title}”\n\n{comments}\n\nLeave a Reply\n\n"
                     + COMMENT_TAGS)
        elif kind < 0.9:
            text += "\n\n" + DROP_LINE
        return text

    def front_matter(self, rng: Random, index: int, group: int, topics: list[int], date: _dt.datetime,
                     micro: int, md: str) -> tuple[str, list[int], str]:
        c = self.c
        labels = [self.labels[t] for t in topics]
        n_title = 2 if len(labels) >= 2 and rng.random() < 0.3 else 1
        title_idx = rng.sample(range(len(labels)), n_title)
        body_idx = [i for i in range(len(labels)) if i not in title_idx and rng.random() < 0.7]
        if index == 0:
            body_idx = [i for i in range(len(labels)) if i not in title_idx]
        mentioned = [topics[i] for i in range(len(labels)) if i in title_idx or i in body_idx]
        title = headline(rng, [labels[i] for i in title_idx])
        sents = topic_sentences(rng, [labels[i] for i in body_idx], rng.randint(4, 10))
        paras = paragraphs(rng, sents, 1, 3)
        description = "".join(paras)
        if len(description) > 200:
            description = description[:200].rsplit(" ", 1)[0]
        if rng.random() < 0.3:
            paras[-1] += "&nbsp;"
        body = "<p>" + "</p><p>".join(paras) + "</p>"

        community, cslug = (COMMUNITIES[group % len(COMMUNITIES)] if rng.random() < 0.7
                            else rng.choice(COMMUNITIES))
        brand_rank = zipf_pick(rng, self.brand_cum)
        brand = self.brands[brand_rank]
        tslug = slugify(title)
        pattern = URL_PATTERNS[brand_rank % len(URL_PATTERNS)]
        host = brand if brand_rank % 3 == 2 else "www." + brand
        href = f"https://{host}" + pattern.format(slug=tslug, y=date.year, m=date.month, d=date.day)
        original = href + ("?utm_source=medigy&utm_medium=curation" if rng.random() < 0.05 else "")
        authors = [self.author(rng, plain=False)]
        if rng.random() < 0.08:
            second = self.author(rng, plain=False)
            if second != authors[0]:
                authors.append(second)
        rid = 1000 + 3 * index + rng.randrange(3)
        attachment = 5000 + 2 * index + rng.randrange(2)
        width, height = rng.choice(IMAGE_SIZES)
        png = rng.random() < 0.15
        last = date + _dt.timedelta(seconds=rng.randrange(3600, 45 * 86400))
        keys = [self.keys[t] for t in topics]
        medigy = json.dumps(keys, ensure_ascii=False, separators=(",", ":"))
        base = f"/communities/{cslug}/"
        lines = [
            "---",
            f"aliases: {yaml_quote('/news/' + tslug)}",
            "archetype: 'curate-content'",
            "author:",
            *[f"- {yaml_quote(a)}" for a in authors],
            f"basePath: {yaml_quote(base + 'curated-content/')}",
            "breadcrumbLinks:",
            "- '/'",
            "- '/communities/'",
            f"- {yaml_quote(base)}",
            f"- {yaml_quote(base + 'curated-content')}",
            "- '#'",
            "breadcrumbs:",
            "- 'Home'",
            "- 'Communities'",
            f"- {yaml_quote(community)}",
            "- 'Curated Content'",
            f"- {yaml_quote(title)}",
            "categories: []",
            "communityTopics:",
            *[f"- {yaml_quote(k)}" for k in keys],
            f"contentCategories: {yaml_quote(f'medigy-{cslug}-curated-content')}",
            f"date: {yaml_quote(iso_timestamp(date, micro))}",
            f"description: {yaml_quote(description)}",
            "featuredImage:",
            f"  alt: {yaml_quote(title)}",
            f"  format: {yaml_quote('PNG' if png else 'JPEG')}",
            f"  href: {yaml_quote(md + '-featuredImage.' + ('png' if png else 'jpeg'))}",
            "  size:",
            f"  - {width}",
            f"  - {height}",
            "  valid: true",
            f"  workPackage: {rid}",
            "  wpAttachment:",
            "    fileName: 'Curated_Featured_Image.jpg'",
            f"    link: '/api/v3/attachments/{attachment}/content'",
            f"id: {rid}",
            f"identifier: {yaml_quote(community)}",
            f"lastMod: {yaml_quote(iso_timestamp(last, rng.randrange(1000) * 1000))}",
            "link:",
            f"  brand: {yaml_quote(brand)}",
            f"  href: {yaml_quote(href)}",
            f"  original: {yaml_quote(original)}",
            f"mastHead: {yaml_quote(community + ' CoP')}",
            f"mdName: {yaml_quote(md)}",
            "openProjectCustomFields:",
            f"  cleanUrl: {yaml_quote(href)}",
            f"  medigyTopics: {yaml_quote(medigy)}",
            f"  sourceUrl: {yaml_quote(original)}",
            "openProjectWorkPackageType: 'Curated Content'",
            "owlType: 'Medigy Communities'",
            "searchCategory: 'News'",
            f"slug: {yaml_quote(brand.split('.')[0] + '-' + tslug)}",
            "source: 'open-project-curations'",
            "status: ''",
            "sub: 'brief'",
            "tags:",
            "- 'news'",
            f"title: {yaml_quote(title)}",
            f"type: {yaml_quote('communities/medigy-' + cslug)}",
            "---",
            "",
            body,
        ]
        return "\n".join(lines), mentioned, str(rid)


def plant_pairs(vocab: tuple[Topic, ...] | list[Topic], c: SynthConfig) -> tuple[list[tuple[int, int]],
                                                                                list[tuple[int, int]]]:
    """The planted cross-vendor pairs (topic indexes, in one group, of different vendors) and narrower -> broader
    pairs (one vendor; the broader one among the three most popular of its group, the narrower one less popular
    and from another group). Group 0, which holds the seed topics, and every topic already planted are left out,
    so each topic is in at most one planted pair. Deterministic for the seed; raises ValueError when the
    vocabulary cannot hold as many pairs as asked."""
    if not c.crosswalk_pairs and not c.broader_pairs:
        return [], []
    rng = Random(f"topicgraph.synth/planted/{c.seed}")
    free = [i for i, t in enumerate(vocab) if t.group != 0]
    rng.shuffle(free)
    used: set[int] = set()
    crosswalk: list[tuple[int, int]] = []
    for a in free:
        if len(crosswalk) >= c.crosswalk_pairs:
            break
        if a in used:
            continue
        for b in free:
            if b not in used and b != a and vocab[b].group == vocab[a].group and vocab[b].vendor != vocab[a].vendor:
                used.update((a, b))
                crosswalk.append((a, b) if a < b else (b, a))
                break
    broader: list[tuple[int, int]] = []
    for b in free:
        if len(broader) >= c.broader_pairs:
            break
        if b in used or vocab[b].rank > 2:
            continue
        for n in free:
            if (n not in used and n != b and vocab[n].vendor == vocab[b].vendor and vocab[n].group != vocab[b].group
                    and vocab[n].rank > 2):
                used.update((b, n))
                broader.append((n, b))
                break
    if len(crosswalk) < c.crosswalk_pairs or len(broader) < c.broader_pairs:
        raise ValueError(f"the vocabulary holds only {len(crosswalk)} cross-vendor and {len(broader)} broader pairs "
                         "to plant: ask for fewer, or more groups")
    return sorted(crosswalk), sorted(broader)
