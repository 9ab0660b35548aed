"""The names of a run's files: the one place that spells out the layout.

```
OUT/<run-id>/
  run.json  report.html  translations.tmx  .lock  .claimed-by (a run named after its Prefect run)
  <article-id>/
    manifest.json  source.txt  segments.jsonl  report.html
    decisions.jsonl                            (review decisions since the last full write)
    <lang>.mt.txt  <lang>.txt  <lang>.reviewed.txt | <lang>.draft.txt  <lang>.diff  <lang>.xlf
    source.ninjs.json  <lang>.ninjs.json      (ninjs inputs)
  push.json                                  (where each article's ninjs was pushed)
```
"""

from __future__ import annotations

RUN_FILE = "run.json"
LOCK_FILE = ".lock"
CLAIM_FILE = ".claimed-by"
"""The Prefect flow run that named the folder (:meth:`l10n.run.store.Run.claim`)."""
REPORT = "report.html"
TMX = "translations.tmx"
MANIFEST = "manifest.json"
SOURCE = "source.txt"
SEGMENTS = "segments.jsonl"
DECISION_LOG = "decisions.jsonl"
"""Review decisions saved since the article was last written in full: one segment row a line,
replayed on top of ``segments.jsonl`` when the article is read (:mod:`l10n.run.decision_log`)."""
ORPHANED_REVIEWS = "reviews.orphaned.jsonl"
"""Reviews of source sentences a re-run no longer found in the article: kept, not dropped."""
ARTICLE_FORMAT = "l10n-article/2"
SOURCE_NINJS = "source.ninjs.json"
PUSH_STATE = "push.json"


def mt_file(lang: str) -> str:
    return f"{lang}.mt.txt"


def final_file(lang: str) -> str:
    return f"{lang}.txt"


def reviewed_file(lang: str) -> str:
    return f"{lang}.reviewed.txt"


def draft_file(lang: str) -> str:
    """The reviewed text while some segment is not approved, each of those marked."""
    return f"{lang}.draft.txt"


def diff_file(lang: str) -> str:
    return f"{lang}.diff"


def xliff_file(lang: str) -> str:
    return f"{lang}.xlf"


def article_file(article_id: str, name: str) -> str:
    return f"{article_id}/{name}"


def ninjs_file(lang: str) -> str:
    return f"{lang}.ninjs.json"
