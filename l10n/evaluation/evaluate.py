"""Score engines, or given hypotheses, against a desk's reference set.

Each engine translates every reference pair's sources the way a run does (the same
engine registry and routes, the same decoding settings) and is scored per pair; a
hypothesis file is scored as it is. This is how a desk chooses ``--route`` on its own
articles: measured, not assumed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any

from l10n.errors import L10nError
from l10n.evaluation.metrics import comet_available, comet_score, score
from l10n.evaluation.refs import ReferenceFileError, ReferenceSet
from l10n.mt.engines.base import engine_identity
from l10n.mt.engines.routes import Routes, RunEngines
from l10n.mt.translate import scored_outputs


@dataclass
class SystemResult:
    """One engine (or hypothesis file) on one pair."""

    system: str
    segments: int
    scores: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"system": self.system, "segments": self.segments}
        data.update(self.scores)
        if self.error:
            data["error"] = self.error
        return data


def _scores(
    refs: ReferenceSet, hypotheses: list[str], with_comet: bool, extra: Mapping[str, Any]
) -> dict[str, Any]:
    data = score(hypotheses, refs.references, refs.target).to_json()
    if with_comet:
        value, why = comet_score(refs.sources, hypotheses, refs.references)
        data["comet"] = round(value, 4) if value is not None else None
        if why:
            data["comet_note"] = why
    data.update(extra)
    return data


def read_hypotheses(path: Path, expected: int) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceFileError(f"{path}: not readable as UTF-8 text ({exc})") from None
    if lines and not lines[-1].strip() and len(lines) == expected + 1:
        lines = lines[:-1]
    if len(lines) != expected:
        raise ReferenceFileError(
            f"{path}: {len(lines)} lines, but the references have {expected} — give one "
            "hypothesis per reference, in the same order"
        )
    return [line.strip() for line in lines]


def evaluate(
    reference_sets: Sequence[ReferenceSet],
    engines: Sequence[str] = (),
    hypotheses: Sequence[Path] = (),
    settings: Mapping[str, Any] | None = None,
    *,
    comet: bool | None = None,
) -> dict[str, Any]:
    """Scores per pair and system, as the JSON ``l10n eval`` writes."""
    if not engines and not hypotheses:
        raise L10nError("name an engine (--engine argos) or a hypothesis file (--hyp FILE)")
    if hypotheses and len(reference_sets) != 1:
        raise ReferenceFileError(
            "--hyp scores one pair; the references hold "
            f"{', '.join(r.name for r in reference_sets)} — choose one with --pair"
        )
    with_comet = comet_available() if comet is None else comet
    pairs: dict[str, list[dict[str, Any]]] = {}
    identities: dict[str, Any] = {}
    for refs in reference_sets:
        results: list[SystemResult] = []
        for name in engines:
            run = RunEngines(Routes.parse(name), settings, download=False)
            engine = run.for_pair(*refs.pair)
            result = SystemResult(name, len(refs.sources))
            if not engine.can_translate(*refs.pair):
                result.error = engine.missing_reason([refs.pair])
            else:
                outputs = scored_outputs(engine, refs.sources, *refs.pair)
                model_scores = [s for _, s in outputs if s is not None]
                extra: dict[str, Any] = {"engine": engine.name}
                if model_scores:
                    extra["mean_model_score"] = round(fmean(model_scores), 4)
                result.scores = _scores(refs, [t for t, _ in outputs], with_comet, extra)
                identities[engine.name] = engine_identity(engine, [refs.pair]).to_json()
            results.append(result)
        for path in hypotheses:
            hyps = read_hypotheses(path, len(refs.sources))
            result = SystemResult(f"file:{path.name}", len(refs.sources))
            result.scores = _scores(refs, hyps, with_comet, {})
            results.append(result)
        pairs[refs.name] = [r.to_json() for r in results]
    return {
        "pairs": pairs,
        "engines": identities,
        "comet": with_comet,
        "metrics": "sacrebleu chrF (chrF2) and BLEU; COMET (wmt22-comet-da) when installed",
    }
