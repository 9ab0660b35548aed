"""chrF and BLEU as sacrebleu computes them, and COMET when unbabel-comet is installed.

chrF needs no tokenizer. BLEU uses sacrebleu's own tokenizer for the target language
(``ja-mecab``, ``ko-mecab``, ``zh``, else ``13a``); the Japanese and Korean ones need the
optional packages ``sacrebleu[ja]`` / ``sacrebleu[ko]``, and without them BLEU is
counted on characters (``char``) and the result says so. Every score carries sacrebleu's
signature, so a number can be compared only with numbers of the same signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SACREBLEU_TOKENIZERS = {"ja": "ja-mecab", "ko": "ko-mecab", "zh": "zh"}
FALLBACK_TOKENIZER = "char"
COMET_MODEL = "Unbabel/wmt22-comet-da"


@dataclass(frozen=True)
class Scores:
    chrf: float
    bleu: float
    bleu_tokenizer: str
    chrf_signature: str
    bleu_signature: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "chrf": round(self.chrf, 2),
            "bleu": round(self.bleu, 2),
            "bleu_tokenizer": self.bleu_tokenizer,
            "signatures": {"chrf": self.chrf_signature, "bleu": self.bleu_signature},
        }
        if self.note:
            data["note"] = self.note
        return data


def bleu_metric(target: str) -> tuple[Any, str]:
    """sacrebleu's BLEU for ``target`` and a note when its tokenizer had to be replaced."""
    from sacrebleu.metrics import BLEU

    wanted = SACREBLEU_TOKENIZERS.get(target, "13a")
    try:
        return BLEU(tokenize=wanted), ""
    except (RuntimeError, ImportError):
        extra = "ja" if wanted == "ja-mecab" else "ko"
        return BLEU(tokenize=FALLBACK_TOKENIZER), (
            f"BLEU counted on characters: sacrebleu's {wanted} tokenizer needs "
            f"`pip install 'sacrebleu[{extra}]'`"
        )


def score(hypotheses: list[str], references: list[str], target: str) -> Scores:
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    bleu, note = bleu_metric(target)
    chrf_score = chrf.corpus_score(hypotheses, [references])
    bleu_score = bleu.corpus_score(hypotheses, [references])
    return Scores(
        chrf=float(chrf_score.score),
        bleu=float(bleu_score.score),
        bleu_tokenizer=str(bleu.tokenizer.signature()),
        chrf_signature=str(chrf.get_signature()),
        bleu_signature=str(bleu.get_signature()),
        note=note,
    )


def comet_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("comet") is not None


def comet_score(
    sources: list[str], hypotheses: list[str], references: list[str], model: str = COMET_MODEL
) -> tuple[float | None, str]:
    """(system score, "") with unbabel-comet, else (None, why not). Never a dependency."""
    if not comet_available():
        return None, "COMET skipped: `pip install unbabel-comet` (it brings torch)"
    try:
        from comet import download_model, load_from_checkpoint

        loaded = load_from_checkpoint(download_model(model))
        data = [
            {"src": s, "mt": h, "ref": r}
            for s, h, r in zip(sources, hypotheses, references, strict=True)
        ]
        output = loaded.predict(data, batch_size=16, gpus=0, progress_bar=False)
        return float(output.system_score), ""
    except Exception as exc:  # a download or model failure leaves chrF and BLEU standing
        return None, f"COMET failed: {str(exc).splitlines()[0][:200]}"
