"""Glossary throughput: segments per second with a 1,000-entry glossary on one core.

Prints the figures and exits non-zero when one misses its target, so `make
bench` fails on a regression:

* enforcement throughput, in segments per second of CPU time on one core (CPU
  time, not wall time, so that other work on a shared machine does not count);
* validating a 10,000-entry glossary (`l10n glossary check`), which must stay
  linear: seconds of CPU time.

The glossary and sentences are generated (seeded) so the run needs no data files.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from l10n.glossary import glossary_from_text, parse_glossary_text
from l10n.glossary.interchange import entries_to_yaml
from l10n.glossary.schema import Entry

SYLLABLES = ["ka", "ta", "mi", "no", "ri", "su", "ko", "ha", "ma", "ya", "shi", "to", "na", "ra"]
KATAKANA = {
    "ka": "カ",
    "ta": "タ",
    "mi": "ミ",
    "no": "ノ",
    "ri": "リ",
    "su": "ス",
    "ko": "コ",
    "ha": "ハ",
    "ma": "マ",
    "ya": "ヤ",
    "shi": "シ",
    "to": "ト",
    "na": "ナ",
    "ra": "ラ",
}
HANGUL = {
    "ka": "카",
    "ta": "타",
    "mi": "미",
    "no": "노",
    "ri": "리",
    "su": "스",
    "ko": "코",
    "ha": "하",
    "ma": "마",
    "ya": "야",
    "shi": "시",
    "to": "토",
    "na": "나",
    "ra": "라",
}
HANGUL_HOUSE = {"카": "가", "타": "다", "코": "고", "토": "도"}
KANJI = "山川田中村井本木林森石松竹花水金土日月星海空"
FILLER = [
    "officials said on Monday that",
    "the talks in the capital",
    "went on for hours",
    "and the ministers agreed",
    "a new trade framework",
    "after a long delay",
]


def _word(rng: random.Random) -> list[str]:
    return [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))]


def build_entries(count: int, rng: random.Random) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    while len(entries) < count:
        given, family = _word(rng), _word(rng)
        source = "".join(given).title() + " " + "".join(family).title()
        if source in seen:
            continue
        seen.add(source)
        kana = "・".join(
            ["".join(KATAKANA[s] for s in given), "".join(KATAKANA[s] for s in family)]
        )
        hangul_wrong = "".join(HANGUL[s] for s in family) + " " + "".join(HANGUL[s] for s in given)
        hangul = "".join(HANGUL_HOUSE.get(c, c) for c in hangul_wrong[:1]) + hangul_wrong[1:]
        if hangul == hangul_wrong:
            hangul_wrong = hangul_wrong.replace(" ", "  ")
        kanji = "".join(rng.choice(KANJI) for _ in range(4))
        entries.append(
            Entry(
                id=f"e{len(entries)}",
                type="person",
                source=source,
                targets={"ja": kanji, "ko": hangul},
                variants={"ja": [kana], "ko": [hangul_wrong]},
                note="synthetic",
            )
        )
    return entries


def build_segments(entries: list[Entry], count: int, rng: random.Random) -> list[tuple]:
    segments = []
    for _ in range(count):
        picked = rng.sample(entries, rng.randint(0, 3))
        source_parts = [rng.choice(FILLER)]
        ja_parts, ko_parts = ["関係者によると、"], ["관계자들에 따르면 "]
        for entry in picked:
            source_parts += [entry.source, rng.choice(FILLER)]
            ja_parts += [
                rng.choice([entry.variants["ja"][0], entry.targets["ja"]]),
                "氏は会談した。",
            ]
            ko_parts += [
                rng.choice([entry.variants["ko"][0], entry.targets["ko"]]),
                "는 회담했다. ",
            ]
        segments.append((" ".join(source_parts) + ".", "".join(ja_parts), "".join(ko_parts)))
    return segments


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--segments", type=int, default=20000)
    parser.add_argument("--target", type=float, default=5000.0, help="minimum segments/s")
    parser.add_argument("--check-entries", type=int, default=10000)
    parser.add_argument(
        "--check-target", type=float, default=5.0, help="maximum seconds to validate"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="60 entries, 300 segments; no speed target"
    )
    args = parser.parse_args()
    if args.smoke:
        args.entries, args.segments, args.check_entries = 60, 300, 300
    rng = random.Random(42)
    entries = build_entries(args.entries, rng)
    started = time.perf_counter()
    glossary = glossary_from_text(entries_to_yaml(entries))
    load_s = time.perf_counter() - started
    segments = build_segments(entries, args.segments, rng)
    changes = 0
    wall = time.perf_counter()
    cpu = time.process_time()
    for index, (source, ja, ko) in enumerate(segments):
        lang, mt = ("ja", ja) if index % 2 else ("ko", ko)
        changes += len(glossary.enforce(lang, source, mt, segment=index).changes)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    rate = len(segments) / cpu
    print(
        f"glossary: {args.entries} entries loaded in {load_s:.2f}s; "
        f"{len(segments)} segments in {cpu:.2f}s CPU ({wall:.2f}s wall) = {rate:,.0f} "
        f"segments/s on one core ({changes} changes; target {args.target:,.0f})"
    )
    big = entries_to_yaml(build_entries(args.check_entries, random.Random(7)))
    check = time.process_time()
    problems = parse_glossary_text(big).problems
    check = time.process_time() - check
    print(
        f"glossary check: {args.check_entries} entries validated in {check:.2f}s CPU "
        f"({len(problems)} problems; target ≤ {args.check_target:.1f}s)"
    )
    if changes == 0:
        print("no changes were made: the benchmark is not exercising the glossary", file=sys.stderr)
        return 1
    if args.smoke:
        print("smoke run: speed targets not checked")
        return 0
    return 0 if rate >= args.target and check <= args.check_target else 1


if __name__ == "__main__":
    sys.exit(main())
