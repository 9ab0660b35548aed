"""What an editor reads in the Prefect UI: the articles table, keyed article artifacts, the
index of a big run, the run-name rule in the form and the state of a pseudo run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GLOSSARY
from pydantic import TypeAdapter, ValidationError

from l10n.flow.artifacts import (
    PER_ARTICLE_ARTIFACTS_LIMIT,
    ArticleArtifacts,
    article_markdown,
    article_rows,
    artifact_key,
    details_markdown,
    index_markdown,
    md,
    publishable_cell,
    run_markdown,
)
from l10n.flow.params import RunName
from l10n.models import (
    Action,
    Article,
    ArticleOutcome,
    ArticlePlan,
    EngineIdentity,
    LanguageGuess,
    Review,
    ReviewCounts,
    ReviewStatus,
    Segment,
    TargetSummary,
    TranslatedArticle,
    Translation,
)
from l10n.run.summary import RunSummary


def _target(engine: str, pseudo: bool, changes: int = 1) -> TargetSummary:
    return TargetSummary(
        Action.TRANSLATE, "x", "y", changes=changes, flags=2, engine=engine, pseudo=pseudo
    )


def _summary() -> RunSummary:
    summary = RunSummary("20260301-090000-3f9c", "now", ["ja", "ko"], [EngineIdentity("argos")], {})
    summary.outcomes = [
        ArticleOutcome(
            "nara-draft", "d.jsonl", "done", title="Nara summit", engine="provided",
            source_language=LanguageGuess("en", 0.87), segments=4,
            targets={"ja": _target("provided", False), "ko": _target("provided", False)},
        ),
        ArticleOutcome(
            "seoul_brief.2", "b.jsonl", "done", title="Seoul", engine="argos",
            source_language=LanguageGuess("en", 1.0),
            targets={"ja": _target("argos", False), "ko": _target("pseudo", True, 0)},
        ),
        ArticleOutcome("broken", "x.txt", "failed", "no Argos package for en→ja"),
    ]  # fmt: skip
    return summary


def test_the_table_has_the_five_columns_that_matter_with_ids_as_written():
    rows = article_rows(_summary())
    assert [list(row) for row in rows] == [
        ["article", "status", "engine", "names fixed", "flags"]
    ] * 3
    assert [row["article"] for row in rows] == ["nara-draft", "seoul_brief.2", "broken"]
    assert rows[0]["engine"] == "provided" and rows[0]["names fixed"] == 2
    assert rows[1]["engine"] == "ja argos, ko pseudo (PSEUDO)"
    assert rows[2]["status"] == "failed" and rows[2]["engine"] == ""


def test_artifacts_say_what_each_target_publishes():
    summary = _summary()
    nara = summary.outcomes[0]
    nara.targets["ja"].reviews = ReviewCounts(4, 0, 0)
    nara.targets["ko"].reviews = ReviewCounts(2, 1, 1)
    assert publishable_cell(nara) == "ja yes, ko no (2 of 4 approved)"
    assert publishable_cell(summary.outcomes[1]) == (
        "ja no (0 of 0 approved), ko no (0 of 0 approved)"
    )
    assert publishable_cell(summary.outcomes[2]) == ""  # failed: nothing to publish
    details = details_markdown(summary)
    assert f"| {md('ja yes, ko no (2 of 4 approved)')} |" in details
    index = index_markdown(summary, "/out/run", None)
    assert f"| {md('ja yes, ko no (2 of 4 approved)')} |" in index
    text = run_markdown(summary, "/out/run", None)
    assert "Publishable: 1 of 4 target(s) have every segment approved" in text


def _article(reviews: list[ReviewStatus | None]) -> TranslatedArticle:
    segments = [Segment("story", i, 0, f"Sentence {i}.") for i in range(len(reviews))]
    plan = ArticlePlan(
        Article("story", "Story", ["x"], "in.txt"),
        LanguageGuess("en", 1.0),
        segments=segments,
        actions={"ja": Action.TRANSLATE},
    )
    rows = [Translation(i, "ja", f"文{i}。", f"文{i}。") for i in range(len(reviews))]
    for row, status in zip(rows, reviews, strict=True):
        if status is not None:
            row.review = Review(status, row.final, "Mina", "2026-03-01T09:00:00+00:00")
    return TranslatedArticle(plan, {"ja": rows})


@pytest.mark.parametrize(
    ("reviews", "line"),
    [
        ([None, None], "publishable: no (approved 0/2, rejected 0) — not reviewed yet: ja.txt"),
        (
            [ReviewStatus.APPROVED, ReviewStatus.REJECTED],
            "publishable: no (approved 1/2, rejected 1) — ja.draft.txt is a draft",
        ),
        ([ReviewStatus.APPROVED] * 2, "publishable: yes — publish ja.reviewed.txt"),
    ],
)
def test_each_article_artifact_says_what_is_published(reviews, line):
    text = article_markdown(_article(reviews), engine="fake", pseudo=False)
    assert f"**{line}" in text


def test_the_rest_goes_to_a_markdown_artifact():
    text = details_markdown(_summary())
    assert "| ` nara-draft ` | Nara summit | en (0.87) | 4 |" in text
    assert "no Argos package for en→ja" in text


def test_article_keys_are_stable_and_allowed_by_prefect():
    assert artifact_key("nara-draft", "ja") == "article-nara-draft-ja"
    assert artifact_key("Seoul_Brief.2", "ko") == "article-seoul-brief-2-ko"
    assert artifact_key("Seoul_Brief.2", "ko") == artifact_key("Seoul_Brief.2", "ko")


def test_the_index_links_each_article():
    summary = _summary()
    plain = index_markdown(summary, "/out/run", None)
    assert "` /out/run/nara-draft/report.html `" in plain
    linked = index_markdown(summary, "/out/run", "http://127.0.0.1:8765/runs/run")
    assert "[review app](http://127.0.0.1:8765/runs/run/articles/seoul_brief.2)" in linked
    assert "broken" not in linked  # failed articles are in the table and the summary


def test_the_run_name_rule_is_in_the_form():
    adapter = TypeAdapter(RunName)
    assert adapter.validate_python("") == "" and adapter.validate_python("nara-summit.2")
    for bad in ("Nara summit", "../up", "-x", "a" * 81):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)
    from prefect.utilities.callables import parameter_schema

    from l10n.flow.translate import translate_articles

    schema = parameter_schema(translate_articles).model_dump_for_openapi()["properties"]["run_id"]
    assert schema["pattern"] == "^(|[A-Za-z0-9][A-Za-z0-9._-]{0,79})$"
    assert "no spaces" in schema["description"]


BODY = (
    "Officials from Seoul and Tokyo met on Monday to discuss the future of port {}. "
    "They agreed to meet again next month and to publish a joint statement."
)


@pytest.mark.usefixtures("prefect_harness")
def test_a_big_pseudo_run_gets_an_index_and_a_pseudo_state(tmp_path: Path):
    from test_flow import flow_artifacts

    from l10n.flow.outcome import PSEUDO_STATE
    from l10n.flow.translate import translate_articles

    count = PER_ARTICLE_ARTIFACTS_LIMIT + 1
    briefs = tmp_path / "briefs.jsonl"
    lines = [
        json.dumps({"id": f"brief-{n:03}", "title": f"Port talks {n}", "body": BODY.format(n)})
        for n in range(count)
    ]
    briefs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    state = translate_articles(
        inputs=[str(briefs)], targets=["ko"], engine="pseudo", glossary=str(GLOSSARY),
        out=str(tmp_path / "out"), run_id="big", return_state=True,
    )  # fmt: skip
    assert state.is_completed() and state.name == PSEUDO_STATE
    assert "PSEUDO-LOCALIZED" in state.message
    keyed = {a.key: a for a in flow_artifacts(state.state_details.flow_run_id)}
    assert not [key for key in keyed if key is None or key.startswith("article-brief")]
    index = keyed["article-index"].data
    assert index.count("/report.html `") == count
    assert len(json.loads(keyed["translated-articles"].data)) == count
    assert "`article-index` artifact" in keyed["run-summary"].data


def test_invalid_run_name_is_refused_before_the_run():
    from prefect.exceptions import ParameterTypeError

    from l10n.flow.translate import translate_articles

    with pytest.raises(ParameterTypeError):
        translate_articles.validate_parameters({"run_id": "Nara summit"})
    assert translate_articles.validate_parameters({"run_id": "nara-summit"})["run_id"]


def test_one_cap_decides_which_articles_get_artifacts_and_whether_the_run_is_indexed():
    # inputs known to hold at most the limit (or of unknown size): the first three shown
    small = ArticleArtifacts(3, small=True)
    assert [small.take(2), small.take(2), small.take(2)] == [2, 1, 0]
    assert small.skipped == 3
    assert small.indexed(6)  # some left out: the index lists every article
    exact = ArticleArtifacts(3, small=True)
    assert exact.take(3) == 3 and not exact.indexed(3)
    # inputs holding more than the limit: none shown, the index instead
    big = ArticleArtifacts(3, small=False)
    assert big.take(2) == 0 and big.skipped == 2
    assert big.indexed(2)
    # outside a flow run the inputs are unknown: a run's size alone decides
    fresh = ArticleArtifacts()
    assert not fresh.indexed(PER_ARTICLE_ARTIFACTS_LIMIT)
    assert fresh.indexed(PER_ARTICLE_ARTIFACTS_LIMIT + 1)
