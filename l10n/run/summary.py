"""What a run did, in the words a reviewer and ``run.json`` use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from l10n.models import (
    Action,
    ArticleOutcome,
    EngineIdentity,
    LanguageGuess,
    Status,
    TargetSummary,
    TranslatedArticle,
    to_jsonable,
)
from l10n.run.codec import Tally, target_summary

RUN_FORMAT = "l10n-run/2"


@dataclass
class RunSummary:
    """``run.json``: the run's settings and the outcome of every input."""

    run_id: str
    started: str
    targets: list[str]
    engines: list[EngineIdentity]
    """Every engine the run's language pairs used, the most used first (at least the one
    asked for, until one was used)."""
    glossary: dict[str, Any]
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    input_errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    translation: dict[str, int] = field(default_factory=dict)
    finished: str | None = None

    @property
    def engine(self) -> EngineIdentity:
        """The run's main engine (its only one, usually)."""
        return self.engines[0]

    @property
    def engine_name(self) -> str:
        return "+".join(e.name for e in self.engines)

    @property
    def pseudo(self) -> bool:
        return any(e.pseudo for e in self.engines)

    def _pseudo_targets(self) -> list[bool]:
        labels = [engine_labels(o, self.engine_name) for o in self.done]
        return [p for label in labels for _, p in label.values()]

    @property
    def all_pseudo(self) -> bool:
        """Every translated target of every stored article is pseudo-localized (and there
        is at least one): the run produced no translation at all."""
        pseudo = self._pseudo_targets()
        return bool(pseudo) and all(pseudo)

    @property
    def some_pseudo(self) -> bool:
        """Some stored target is pseudo-localized (not a translation)."""
        return any(self._pseudo_targets())

    def pseudo_langs(self, outcome: ArticleOutcome) -> list[str]:
        """The article's targets that are pseudo-localized (not a translation)."""
        labels = engine_labels(outcome, self.engine_name)
        return [lang for lang, (_, pseudo) in labels.items() if pseudo]

    @property
    def pseudo_articles(self) -> list[ArticleOutcome]:
        """Stored articles with at least one pseudo-localized target."""
        return [o for o in self.done if self.pseudo_langs(o)]

    @property
    def pseudo_label(self) -> str:
        """The run's label in lists: "" (no pseudo target), "pseudo" (no translation at
        all) or "pseudo 3/12" (3 of its 12 stored articles have a pseudo target)."""
        marked = len(self.pseudo_articles)
        if not marked:
            return ""
        if self.all_pseudo:
            return "pseudo"
        return f"pseudo {marked}/{len(self.done)}"

    @property
    def engines_used(self) -> str:
        """What translated the stored articles: ``argos``, or ``argos (10), pseudo (2)``
        when they differ — each engine with how many articles it translated a target of
        (provided translations count as ``provided``), the most used first. The run's
        engine when no article has a translated target."""
        counts: dict[str, int] = {}
        for outcome in self.done:
            labels = engine_labels(outcome, self.engine_name)
            for name in dict.fromkeys(n for label, _ in labels.values() for n in label.split("+")):
                counts[name] = counts.get(name, 0) + 1
        if not counts:
            return self.engine_name
        if len(counts) == 1:
            return next(iter(counts))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{name} ({n})" for name, n in ranked)

    def engine_of(self, outcome: ArticleOutcome) -> str:
        """The article's engine label: one name, or one per target when they differ."""
        return engine_label(outcome, self.engine_name)

    def by_status(self, status: Status) -> list[ArticleOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def done(self) -> list[ArticleOutcome]:
        return self.by_status(Status.DONE)

    @property
    def failed(self) -> list[ArticleOutcome]:
        return self.by_status(Status.FAILED)

    @property
    def skipped(self) -> list[ArticleOutcome]:
        return self.by_status(Status.SKIPPED)

    def totals(self) -> dict[str, int]:
        totals = {"articles": 0, "segments": 0, "changes": 0, "unresolved": 0, "flags": 0}
        for outcome in self.done:
            totals["articles"] += 1
            totals["segments"] += outcome.segments
            for target in outcome.targets.values():
                totals["changes"] += target.changes
                totals["unresolved"] += len(target.unresolved)
                totals["flags"] += target.flags
        return totals

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RUN_FORMAT,
            "run_id": self.run_id,
            "started": self.started,
            "finished": self.finished,
            "targets": self.targets,
            "engine": self.engine.to_json(),
            **({"engines": [e.to_json() for e in self.engines]} if len(self.engines) > 1 else {}),
            "glossary": self.glossary,
            "articles": {
                status: [_outcome_json(o) for o in self.by_status(status)] for status in Status
            },
            "input_errors": self.input_errors,
            "warnings": self.warnings,
            "translation": self.translation,
            "totals": self.totals(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunSummary:
        """Raises KeyError/TypeError/ValueError on a document that is not a run summary."""
        outcomes = []
        for status in Status:
            for item in data["articles"].get(status, []):
                outcomes.append(_outcome_from_json(item, status))
        return cls(
            run_id=str(data["run_id"]),
            started=str(data.get("started") or ""),
            finished=data.get("finished"),
            targets=[str(t) for t in data["targets"]],
            engines=[EngineIdentity.from_json(e) for e in data.get("engines") or [data["engine"]]],
            glossary=dict(data.get("glossary") or {}),
            outcomes=outcomes,
            input_errors=list(data.get("input_errors") or []),
            warnings=[str(w) for w in data.get("warnings") or []],
            translation=dict(data.get("translation") or {}),
        )


def engine_labels(outcome: ArticleOutcome, run_engine: str) -> dict[str, tuple[str, bool]]:
    """Per translated target (copies left out): the engine's name and whether it is pseudo."""
    labels = {}
    for lang, target in outcome.targets.items():
        if target.action == Action.COPY:
            continue
        name = target.engine or outcome.engine or run_engine
        labels[lang] = (name, target.pseudo or name == "pseudo")
    return labels


def engine_label(outcome: ArticleOutcome, run_engine: str) -> str:
    """``argos``; ``ja argos, ko pseudo`` when the targets differ; the article's engine when
    no target was translated (all copies)."""
    labels = engine_labels(outcome, run_engine)
    names = {name for name, _ in labels.values()}
    if not names:
        return outcome.engine or run_engine
    if len(names) == 1:
        return names.pop()
    return ", ".join(f"{lang} {name}" for lang, (name, _) in labels.items())


def outcome_of(
    translated: TranslatedArticle,
    *,
    resumed: bool = False,
    counted: Mapping[str, Tally] | None = None,
) -> ArticleOutcome:
    """The ``done`` outcome of a stored article: what the summary and the index show
    (``counted``: its tallies, when the caller keeps them up to date)."""
    article = translated.article
    return ArticleOutcome(
        id=article.id,
        input=article.input_path,
        status=Status.DONE,
        resumed=resumed,
        title=article.title,
        source_language=translated.plan.language,
        targets=target_summary(translated, counted),
        segments=len(translated.plan.segments),
    )


def _outcome_json(outcome: ArticleOutcome) -> dict[str, Any]:
    data: dict[str, Any] = {"id": outcome.id, "input": outcome.input}
    if outcome.status == Status.DONE:
        data.update(
            title=outcome.title,
            resumed=outcome.resumed,
            source_language=to_jsonable(outcome.source_language),
            segments=outcome.segments,
            targets={lang: t.to_json() for lang, t in outcome.targets.items()},
        )
        if outcome.engine:
            data["engine"] = outcome.engine
    else:
        data["reason"] = outcome.reason
    return data


def _outcome_from_json(item: dict[str, Any], status: Status) -> ArticleOutcome:
    language = item.get("source_language")
    return ArticleOutcome(
        id=str(item["id"]),
        input=str(item.get("input") or ""),
        status=status,
        reason=item.get("reason"),
        resumed=bool(item.get("resumed", False)),
        title=str(item.get("title") or ""),
        source_language=(
            LanguageGuess(
                str(language["code"]),
                float(language.get("confidence", 1.0)),
                str(language.get("method", "stored")),
            )
            if isinstance(language, dict) and "code" in language
            else None
        ),
        targets={
            str(lang): TargetSummary.from_json(t) for lang, t in (item.get("targets") or {}).items()
        },
        segments=int(item.get("segments") or 0),
        engine=str(item["engine"]) if item.get("engine") else None,
    )
