"""Generated batches of English briefings, shared by tests and benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

from l10n.text.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def example_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        for paragraph in path.read_text("utf-8").split("\n\n")[1:]:
            if paragraph.isascii():
                sentences += split_sentences(paragraph.strip(), "en")
    return sentences


def write_briefings(folder: Path, articles: int, seed: int = 0) -> int:
    """Articles stitched from the bundled English examples; returns the segment count."""
    sentences = example_sentences()
    rng = random.Random(seed)
    total = 0
    for n in range(articles):
        body = [" ".join(rng.sample(sentences, 3)) for _ in range(4)]
        text = f"Regional briefing number {n}\n\n" + "\n\n".join(body) + "\n"
        (folder / f"briefing-{n:04d}.txt").write_text(text, "utf-8")
        total += 1 + sum(len(split_sentences(p, "en")) for p in body)
    return total
