"""The sentence tables in tests/glossary_cases/: the hand-written specification of enforcement.

Each case: ``source`` (one English segment), ``mt`` (raw MT with the errors engines
make), optional ``article`` (the article's other source segments, title first: short
forms are decided on the whole article), ``expected`` (the corrected text),
``unresolved`` (entry ids) and optional ``flags`` (QA flag codes, in order). A case
whose ``expected`` equals its ``mt`` is a negative: nothing may change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from l10n.glossary import Glossary, apply_changes, load_glossary

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "glossary_cases"
TABLES = ("ja.yaml", "ko.yaml")


def _cases() -> list[pytest.param]:
    params = []
    for name in TABLES:
        path = CASES_DIR / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(data["cases"], start=1):
            params.append(pytest.param(data["lang"], case, id=f"{path.stem}-{number:03d}"))
    return params


@pytest.fixture(scope="module")
def leaders() -> Glossary:
    return load_glossary(ROOT / "glossaries" / "leaders.yaml")


def _article(case: dict) -> list[str]:
    article = case.get("article", [])
    return [article] if isinstance(article, str) else list(article)


def test_the_table_is_large_and_has_negatives() -> None:
    params = _cases()
    assert len(params) >= 150
    assert {p.values[0] for p in params} == {"ja", "ko"}
    negatives = [p for p in params if p.values[1]["expected"] == p.values[1]["mt"]]
    assert len(negatives) >= 30


@pytest.mark.parametrize(("lang", "case"), _cases())
def test_case(leaders: Glossary, lang: str, case: dict) -> None:
    article = _article(case)
    names = leaders.article_names([*article, case["source"]]) if article else None
    result = leaders.enforce(lang, case["source"], case["mt"], names=names)
    assert result.text == case["expected"]
    assert result.unresolved == case.get("unresolved", [])
    assert apply_changes(case["mt"], result.changes) == result.text
    if "flags" in case:
        assert [flag.code for flag in result.flags] == case["flags"]
    if case["expected"] == case["mt"]:
        assert result.changes == []
