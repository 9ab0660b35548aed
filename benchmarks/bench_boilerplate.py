"""Boilerplate removal on the project's labelled pages: precision and recall.

Every page in evaluation/boilerplate/ is read the way a user's file is (text
pages through read_inputs, HTML through trafilatura and the cleaner) and each
labelled line is checked: a story line must stay, a boilerplate line should go.
Prints the figures overall, per split, per language and per class, and exits
non-zero when recall is below the target or any story line is dropped.

When the real-page development set is beside the project (``../shared/realpages``:
real scraped pages with an editor's labels, kept outside the repository), its figures
are printed too: precision, recall and story lines dropped, over all pages, English
and each language. They are reported, not enforced.

Example:
    .venv/bin/python benchmarks/bench_boilerplate.py
    .venv/bin/python benchmarks/bench_boilerplate.py --errors     # list the misses
    .venv/bin/python benchmarks/bench_boilerplate.py --smoke      # 6 pages, no target
    .venv/bin/python benchmarks/bench_boilerplate.py --leave-site-out   # unseen-site estimate
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from l10n.articles.boilerplate import default_rules
from l10n.articles.boilerplate.evaluation import Result, load_pages, run_pages, score
from l10n.articles.boilerplate.realpages import RealScore, leave_site_out, score_real_pages

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "evaluation" / "boilerplate"
REALPAGES = ROOT.parent / "shared" / "realpages"
RECALL_TARGET = 0.9


def _table(title: str, results: list[Result], key: Callable[[Result], str]) -> None:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    print(f"\n{title}")
    print(f"  {'':<14}{'pages':>6}{'boiler':>8}{'removed':>9}{'recall':>8}{'story':>7}{'lost':>6}")
    for name in sorted(groups):
        s = score(groups[name])
        pages = len({r.page.path for r in groups[name]})
        print(
            f"  {name:<14}{pages:>6}{s.boilerplate:>8}{s.removed:>9}{s.recall:>8.3f}"
            f"{s.story:>7}{s.story_dropped:>6}"
        )


def print_real_pages(folder: Path, *, errors: bool, held_out: bool = False) -> None:
    if held_out:
        result = leave_site_out(folder, default_rules(), PAGES)
        scores = result.scores
        print(
            f"\nreal-page dev set ({folder}), leave-site-out: each site scored with the"
            f" {sum(result.entries.values())} lexicon entries only it supports held out"
        )
    else:
        scores = score_real_pages(folder, default_rules())
        print(f"\nreal-page dev set ({folder}): reported, not enforced")
    print(f"  {'':<10}{'pages':>6}{'gold':>6}{'dropped':>9}{'P':>7}{'R':>7}{'story':>7}{'meta':>6}")

    def row(name: str, group: list[RealScore]) -> None:
        tp, fn = sum(s.tp for s in group), sum(s.fn for s in group)
        body, meta = sum(s.story_dropped for s in group), sum(s.meta_dropped for s in group)
        dropped = tp + body + meta
        precision = tp / dropped if dropped else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(
            f"  {name:<10}{len(group):>6}{tp + fn:>6}{dropped:>9}{precision:>7.3f}{recall:>7.3f}"
            f"{body:>7}{meta:>6}"
        )

    row("all", scores)
    for language in sorted({s.language for s in scores}, key=lambda x: (x != "en", x)):
        row(language, [s for s in scores if s.language == language])
    if errors:
        for page in scores:
            for what in page.wrong:
                print(f"  {page.name}: {what}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of labelled pages")
    parser.add_argument("--split", help="only this split (dev, heldout-1, …)")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument(
        "--realpages", type=Path, default=REALPAGES, help="real-page dev set (if present)"
    )
    parser.add_argument("--smoke", action="store_true", help="6 pages; the target not checked")
    parser.add_argument(
        "--leave-site-out",
        action="store_true",
        help="also score the dev set with each site's own lexicon entries held out",
    )
    args = parser.parse_args()

    pages = [p for p in load_pages(args.pages) if args.split in (None, p.split)]
    if args.smoke:
        pages = [p for p in pages if p.is_html][:3] + [p for p in pages if not p.is_html][:3]
    if not pages:
        print(f"no labelled pages in {args.pages}")
        return 1
    results = run_pages(pages, default_rules())
    total = score(results)
    layouts = {p.layout for p in pages}
    print(f"{len(pages)} pages, {len(layouts)} layouts, {total.boilerplate + total.story} lines")
    print(
        f"boilerplate: {total.removed}/{total.boilerplate} removed, recall {total.recall:.3f} "
        f"(target >= {RECALL_TARGET}); precision {total.precision:.3f}; "
        f"story lines dropped: {total.story_dropped}/{total.story} (target 0)"
    )
    _table("by split", results, lambda r: r.page.split)
    _table("by language", results, lambda r: r.page.language)
    _table("by input", results, lambda r: "html" if r.page.is_html else "text")
    boiler = [r for r in results if not r.gold.story]
    _table("boilerplate by class", boiler, lambda r: r.gold.cls or "?")
    if args.errors:
        print("\nmisses:")
        for r in results:
            if r.dropped == r.gold.story:
                what = "STORY DROPPED" if r.gold.story else f"kept {r.gold.cls}"
                print(f"  {r.page.path.relative_to(args.pages)}: {what}: {r.gold.text[:90]}")
    if args.smoke:
        print("\nsmoke run: the target is not checked on 6 pages")
        return 0
    if (args.realpages / "gold").is_dir():
        print_real_pages(args.realpages, errors=args.errors)
        if args.leave_site_out:
            print_real_pages(args.realpages, errors=args.errors, held_out=True)
    ok = total.recall >= RECALL_TARGET and total.story_dropped == 0
    print("\ntarget met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
