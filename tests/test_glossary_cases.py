"""The sentence table in tests/glossary_cases/: the hand-written specification of enforcement."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from l10n.glossary import Glossary, apply_changes, load_glossary

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "glossary_cases"


def _cases() -> list[pytest.param]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(data["cases"], start=1):
            params.append(pytest.param(data["lang"], case, id=f"{path.stem}-{number:02d}"))
    return params


@pytest.fixture(scope="module")
def leaders() -> Glossary:
    return load_glossary(ROOT / "glossaries" / "leaders.yaml")


def test_the_table_is_large_enough() -> None:
    params = _cases()
    assert len(params) >= 80
    assert {p.values[0] for p in params} == {"ja", "ko"}


@pytest.mark.parametrize(("lang", "case"), _cases())
def test_case(leaders: Glossary, lang: str, case: dict) -> None:
    result = leaders.enforce(lang, case["source"], case["mt"], context=case.get("context", ""))
    assert result.text == case["expected"]
    assert result.unresolved == case.get("unresolved", [])
    assert apply_changes(case["mt"], result.changes) == result.text
    if "flags" in case:
        assert [flag.code for flag in result.flags] == case["flags"]
    if case["expected"] == case["mt"]:
        assert result.changes == []
