"""Generate synthetic Arabic archives of N articles from the seed articles' sentences."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The sentences every archive is made of, frozen (the demo's articles change).
SEED_FILE = Path(__file__).resolve().parent / "seed_ar.json"
CATEGORIES = ("الشأن المحلي", "ثقافة", "اقتصاد", "بيئة", "تعاون دولي", "رياضة")
TAGS = (
    "فاس",
    "الرباط",
    "التوأمة",
    "التنمية المستدامة",
    "المدن الإسلامية",
    "البيئة",
    "الديمقراطية التشاركية",
    "التراث",
    "النقل",
    "الشباب",
    "الماء",
    "الثقافة",
)
FIRST_DATE = datetime(2004, 1, 1, 9, 0)
ARCHIVE_DAYS = 20 * 365


@dataclass(frozen=True)
class SeedText:
    """The seed articles cut into sentences, and their vocabulary."""

    sentences: tuple[str, ...]
    words: tuple[str, ...]


def load_seed(path: Path = SEED_FILE) -> SeedText:
    """Read the frozen seed sentences (their origin is in the file's "about")."""
    sentences = json.loads(path.read_text(encoding="utf-8"))["sentences"]
    arabic_word = re.compile(r"[\u0600-\u06ff]+")
    words = sorted({w for s in sentences for w in s.split() if arabic_word.fullmatch(w)})
    return SeedText(tuple(sentences), tuple(words))


class ArticleWriter:
    """Write deterministic Markdown articles; one seeded generator per archive."""

    def __init__(self, seed_text: SeedText, seed: int = 2024) -> None:
        self.seed = seed_text
        self.rng = random.Random(seed)

    def sentence(self, max_words: int = 40) -> str:
        """Return a seed sentence with about a third of its words swapped, so few repeat."""
        words = self.rng.choice(self.seed.sentences).split()[:max_words]
        for i in range(len(words)):
            if self.rng.random() < 0.3:
                words[i] = self.rng.choice(self.seed.words)
        text = " ".join(words).rstrip("،,؛ ")
        return text if text[-1] in ".؟!" else text + "."

    def _inline(self, text: str) -> str:
        """Add a link or emphasis to some sentences, as editors do."""
        words = text.split()
        if len(words) < 6:
            return text
        roll = self.rng.random()
        i = self.rng.randrange(1, len(words) - 3)
        if roll < 0.15:
            slug = self.rng.randrange(1, 10_000)
            words[i : i + 2] = [f"[{words[i]} {words[i + 1]}](https://example.org/news/{slug})"]
        elif roll < 0.30:
            words[i : i + 2] = [f"**{words[i]} {words[i + 1]}**"]
        elif roll < 0.40:
            words[i] = f"*{words[i]}*"
        return " ".join(words)

    def paragraph(self) -> str:
        """Return a paragraph of two to five sentences."""
        return " ".join(self._inline(self.sentence()) for _ in range(self.rng.randint(2, 5)))

    def body(self) -> str:
        """Return an article body: paragraphs, a heading, sometimes a list or a quote."""
        parts = [self.paragraph() for _ in range(self.rng.randint(1, 3))]
        parts.append("## " + self.sentence(8).rstrip("."))
        parts += [self.paragraph() for _ in range(self.rng.randint(1, 2))]
        if self.rng.random() < 0.6:
            parts.append("\n".join(f"- {self._inline(self.sentence(14))}" for _ in range(3)))
        if self.rng.random() < 0.3:
            parts.append("> " + self.sentence())
        parts.append(self.paragraph())
        return "\n\n".join(parts)

    def article(self, index: int) -> tuple[str, str]:
        """Return (file name, Markdown) for article number ``index``."""
        date = FIRST_DATE + timedelta(
            days=self.rng.randrange(ARCHIVE_DAYS), minutes=self.rng.randrange(600)
        )
        slug = f"news-{index:05d}"
        tags = ", ".join(self.rng.sample(TAGS, self.rng.randint(1, 3)))
        text = (
            f"Title: {self.sentence(10).rstrip('.')}\n"
            f"Date: {date:%Y-%m-%d %H:%M}\n"
            f"Category: {self.rng.choice(CATEGORIES)}\n"
            f"Tags: {tags}\n"
            f"Slug: {slug}\n"
            "Lang: ar\n\n"
            f"{self.body()}\n"
        )
        return f"{date:%Y-%m-%d}-{slug}.md", text


def write_archive(folder: Path, count: int, seed: int = 2024) -> list[Path]:
    """Write ``count`` articles into folder (emptied first) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    writer = ArticleWriter(load_seed(), seed)
    paths = []
    for index in range(count):
        name, text = writer.article(index)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def translated_copy(markdown: str, lang: str) -> str:
    """Return the same article marked as its ``lang`` translation (plain Pelican's input).

    The body stays the same size and structure, so Pelican parses and renders as much
    text as it would for a real translation.
    """
    head, body = markdown.split("\n\n", 1)
    head = head.replace("Lang: ar", f"Lang: {lang}")
    head = re.sub(r"^Title: ", f"Title: [{lang}] ", head, flags=re.M)
    return f"{head}\n\n{body}"
