"""Parameter types of the ``translate-articles`` flow.

Prefect turns these annotations into the run form of the UI: ``Literal`` values
become drop-downs and the pydantic model below becomes a small sub-form, so a
run started from the browser is checked before it reaches a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from l10n.articles.read import article_from_text, unique_id
from l10n.models import Article

TargetLang = Literal["ja", "ko"]
EngineName = Literal["argos", "pseudo", "auto"]


class PastedArticle(BaseModel):
    """An article typed or pasted into the run form instead of read from a file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(description="Headline of the article.", min_length=1)
    body: str = Field(
        description="Article text; separate paragraphs with a blank line.", min_length=1
    )


def pasted_articles(pasted: Sequence[PastedArticle], taken: set[str]) -> list[Article]:
    """Articles from the run form's pasted texts.

    Ids get the same ``-2``, ``-3`` suffixes as repeated file names, so a pasted
    article can never overwrite the folder of another article in the run.
    """
    articles = []
    for item in pasted:
        article = article_from_text(item.title, item.body)
        article.id = unique_id(article.id, taken)
        articles.append(article)
    return articles
