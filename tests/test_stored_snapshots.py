"""Snapshots of what the pseudo engine stores, so any change to stored output is a reviewed diff.

Regenerate after an intended change with ``pytest tests/test_stored_snapshots.py --force-regen``.
"""

from __future__ import annotations

import json

from conftest import EXAMPLES, GLOSSARY

from l10n.articles.boilerplate import load_rules
from l10n.articles.read import read_inputs
from l10n.correct.stage import correct_article
from l10n.glossary import load_glossary
from l10n.models import EngineIdentity, TranslatedArticle
from l10n.mt.engines.pseudo import PseudoEngine
from l10n.mt.translate import translate_plans
from l10n.review.files import article_review_files
from l10n.run.store import Run, RunContext
from l10n.text.detect import detect_article
from l10n.text.plan import plan_article

STORED = ("source.txt", "ja.mt.txt", "ja.txt", "ko.mt.txt", "ko.txt", "ja.diff", "ko.diff")


def test_pseudo_run_of_the_examples(tmp_path, data_regression):
    glossary = load_glossary(GLOSSARY)
    batch = read_inputs([str(EXAMPLES)], load_rules())
    plans = []
    for article in batch.articles:
        detected = detect_article(article)
        plans.append(
            plan_article(
                article, detected.language, ["ja", "ko"], paragraph_languages=detected.paragraphs
            )
        )
    engine = PseudoEngine()
    results = translate_plans(plans, engine, glossary)
    pseudo = RunContext(
        ("ja", "ko"),
        (EngineIdentity("pseudo", pseudo=True),),
        {"sha256": glossary.sha256},
    )
    # Drafts that brought their own MT are stored as the provided engine's, not as pseudo.
    provided = RunContext(("ja", "ko"), (EngineIdentity("provided"),), pseudo.glossary)
    run = Run.create(str(tmp_path), "run")
    snapshot = {}
    for plan in plans:
        translated = TranslatedArticle(
            plan, correct_article(plan, results[plan.article.id], glossary)
        )
        ctx = provided if plan.provided else pseudo
        translated.engines = ctx.engines_for(translated.translations)
        files = article_review_files(translated, "run")
        run.write_article(translated, ctx, files)
        folder = tmp_path / "run" / plan.article.id
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        snapshot[plan.article.id] = {
            "files": {
                name: (folder / name).read_text("utf-8")
                for name in STORED
                if (folder / name).exists()
            },
            "segments": [
                json.loads(line)
                for line in (folder / "segments.jsonl").read_text("utf-8").splitlines()
            ],
            "manifest": {
                k: manifest[k]
                for k in (
                    "id",
                    "title",
                    "status",
                    "source_language",
                    "targets",
                    "segments",
                    "dropped_lines",
                )
            },
        }
    data_regression.check(snapshot)
