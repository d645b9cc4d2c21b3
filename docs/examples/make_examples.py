"""Write the two generated example sites of docs/onboarding.md: a Hugo bookmarks blog and a Jekyll-style site.

Each has the drift another site's corpus brings (docs/profiles.md); the output is the same on every run (seeded):

    python docs/examples/make_examples.py          # rewrites hugo-bookmarks/content and jekyll-site/_posts
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
COUNT = 220

#: the Hugo blog's categories: some written in two spellings that differ only in case or spacing
HUGO_CATEGORIES = [("AI", "ai"), ("FDA", "fda"), ("HIMSS 19", "himss 19"), ("Telehealth", "telehealth"),
                   ("Patient Engagement", "patient engagement"), ("mHealth app",), ("Interoperability",),
                   ("Remote Monitoring", "remote  monitoring"), ("Cybersecurity",), ("Digital Therapeutics",),
                   ("EHR", "ehr"), ("Value-Based Care",), ("Population Health",), ("Clinical Trials",)]
BRANDS = ["healthcareitnews.com", "fiercehealthcare.com", "statnews.com", "mobihealthnews.com", "medcitynews.com",
          "hitconsultant.net", "beckershospitalreview.com", "modernhealthcare.com", "healthaffairs.org"]
WORDS = ("hospital clinician patient care data model remote team study payer startup platform trial outcome app "
         "record device rule vendor network program risk quality cost access").split()

JEKYLL_TAGS = [("machine learning", "Machine Learning"), ("python", "Python"), ("open data",), ("NLP", "nlp"),
               ("privacy",), ("genomics", "Genomics"), ("visualisation",), ("public health", "Public Health"),
               ("statistics",), ("cloud",)]
AUTHORS = ["Ana Ruiz", "Ben Okafor", "Chen Wei", "Dana Whitfield", "Eli Novak", "Farah Haddad"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, 5)
    return " ".join(words).capitalize()


def _spelling(rng: random.Random, choices) -> str:
    return rng.choice(choices) if len(choices) == 1 or rng.random() < 0.6 else choices[0]


def hugo(folder: Path, rng: random.Random) -> None:
    """A Hugo bookmarks blog: flat linkBrand, link as a URL, categories without vendors, a source mapping."""
    for i in range(COUNT):
        ident = 4000 + i * 7
        title = _title(rng)
        brand = rng.choice(BRANDS)
        slug = title.lower().replace(" ", "-")
        day = f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}"
        cats = []
        for group in rng.sample(HUGO_CATEGORIES, rng.randint(1, 3)):
            spelling = group[0] if len(group) == 1 or rng.random() < 0.6 else rng.choice(group[1:])
            cats.append(spelling)
        modified = "lastmod" if i % 3 else "lastMod"  # two spellings of one field, never in the same post
        lines = ["---", f"id: {ident}", f'title: "{title}"', f'description: "A bookmark about {title.lower()}."',
                 f"date: {day}T{8 + i % 10:02d}:{i % 60:02d}:00Z", f"{modified}: {day}T18:00:00Z",
                 f"linkBrand: {brand}", f"link: https://{brand}/news/{slug}-{ident}",
                 "categories:", *[f'  - "{c}"' for c in cats], "source:", "  name: dropmark",
                 f"  apiendpoint: https://api.dropmark.com/v1/items/{ident}", f"draft: {'false' if i % 9 else 'true'}",
                 "---", "", f"{title}. Saved from {brand}.", ""]
        (folder / f"bookmark-{ident}.md").write_text("\n".join(lines), encoding="utf-8")


def jekyll(folder: Path, rng: random.Random) -> None:
    """A Jekyll-style site: tags, one author string, dates in three formats, permalink and layout."""
    for i in range(COUNT + 10):
        title = _title(rng)
        year, month, day = 2020 + i % 3, 1 + i % 12, 1 + (i * 5) % 28
        slug = f"{title.lower().replace(' ', '-')}-{i}"
        date = (f"{year}-{month:02d}-{day:02d}", f"{MONTHS[month - 1]} {day}, {year}",
                f"{year}-{month:02d}-{day:02d}T09:{i % 60:02d}:46Z")[i % 3]
        tags = [_spelling(rng, group) for group in rng.sample(JEKYLL_TAGS, rng.randint(1, 3))]
        lines = ["---", "layout: post", f'title: "{title}"', f"author: {rng.choice(AUTHORS)}", f"date: {date}",
                 f"permalink: /{year}/{month:02d}/{day:02d}/{slug}/", f"tags: [{', '.join(tags)}]"]
        if i % 2:
            lines.append(f'excerpt: "Notes on {title.lower()}."')
        lines += ["---", "", f"{title}.", ""]
        (folder / f"{year}-{month:02d}-{day:02d}-{slug}.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    for name, sub, make, seed in (("hugo-bookmarks", "content", hugo, 16), ("jekyll-site", "_posts", jekyll, 17)):
        folder = HERE / name / sub
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        make(folder, random.Random(seed))


if __name__ == "__main__":
    main()
