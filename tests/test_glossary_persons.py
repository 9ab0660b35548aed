"""The person model: when a bare surname stands for one glossary person."""

from __future__ import annotations

import pytest

from l10n.glossary.persons import ArticleNames, is_headline, other_name


@pytest.mark.parametrize(
    ("text", "surname", "other"),
    [
        ("Senator Mike Lee objected.", "Lee", "Mike Lee"),
        ("Lee Jun-seok objected.", "Lee", "Lee Jun-seok"),
        ("He met Lee Jun-seok.", "Lee", "Lee Jun-seok"),
        ("General Robert E. Lee", "Lee", "Robert E. Lee"),
        ("Kim Yo Jong spoke.", "Kim", "Kim Yo Jong"),
        ("Donald Trump Jr. spoke.", "Trump", "Donald Trump Jr."),
        ("Ivanka Trump arrived.", "Trump", "Ivanka Trump"),
        ("President Lee spoke.", "Lee", None),
        ("South Korea's Lee spoke.", "Lee", None),
        ("When Lee arrived, crowds cheered.", "Lee", None),
        ("Asked about it, Lee said no.", "Lee", None),
        ("The LDP Takaichi faction met.", "Takaichi", None),
        ("The Trump Tower lobby closed.", "Trump", None),
        ("The Kim regime fired missiles.", "Kim", None),
        ("It was Lee. Moon said so.", "Lee", None),
        ("Moon met Lee. Kim said so.", "Kim", None),
        ("Lee, Kim and Park met.", "Lee", None),
        ("On Monday Lee spoke.", "Lee", None),
    ],
)
def test_other_name_around_a_surname(text: str, surname: str, other: str | None) -> None:
    start = text.index(surname)
    assert other_name(text, start, start + len(surname), []) == other


def test_a_glossary_name_next_to_a_surname_is_not_a_given_name() -> None:
    text = "Seoul Lee met reporters."
    assert other_name(text, 6, 9, [(0, 5)]) is None
    assert other_name(text, 6, 9, []) == "Seoul Lee"


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("TAKAICHI VOWS TAX CUTS", True),
        ("Takaichi Vows Tax Cuts in First Speech", True),
        ("Lee Jae Myung met Xi Jinping in Seoul on Monday.", False),
        ("Lee said so.", False),
    ],
)
def test_headlines(text: str, headline: bool) -> None:
    assert is_headline(text) is headline


def test_article_names_lookup() -> None:
    names = ArticleNames(frozenset({"a"}), (("lee", ("Lee Jun-seok",)),))
    assert names.others_for("lee") == ("Lee Jun-seok",)
    assert names.others_for("kim") == ()
