"""Language codes as the multilingual model families spell them in their vocabularies.

l10n speaks ISO 639-1 codes (``ja``); NLLB-200 uses FLORES-200 codes (``jpn_Jpan``),
OPUS-MT's multi-target models ISO 639-3 target tokens (``>>jpn<<``), M2M100 ``__ja__``.
"""

from __future__ import annotations

import re

from l10n.text.languages import normalise_code

# FLORES-200 code of every language l10n knows (l10n.text.languages).
NLLB_CODES: dict[str, str] = {
    "en": "eng_Latn",
    "ja": "jpn_Jpan",
    "ko": "kor_Hang",
    "zh": "zho_Hans",
    "th": "tha_Thai",
    "vi": "vie_Latn",
    "id": "ind_Latn",
    "fr": "fra_Latn",
    "de": "deu_Latn",
    "es": "spa_Latn",
    "pt": "por_Latn",
    "it": "ita_Latn",
    "nl": "nld_Latn",
    "ru": "rus_Cyrl",
    "uk": "ukr_Cyrl",
    "ar": "arb_Arab",
    "fi": "fin_Latn",
    "tr": "tur_Latn",
    "pl": "pol_Latn",
    "sv": "swe_Latn",
    "da": "dan_Latn",
    "nb": "nob_Latn",
    "cs": "ces_Latn",
    "sk": "slk_Latn",
    "ro": "ron_Latn",
    "hu": "hun_Latn",
    "hr": "hrv_Latn",
    "sl": "slv_Latn",
    "bg": "bul_Cyrl",
    "el": "ell_Grek",
    "hi": "hin_Deva",
    "bn": "ben_Beng",
}
# ISO 639-3, as OPUS-MT's ">>xxx<<" target tokens write it.
ISO3: dict[str, str] = {code: flores.split("_")[0] for code, flores in NLLB_CODES.items()}
ISO3["ar"] = "ara"

NLLB_TOKEN_RE = re.compile(r"[a-z]{3}_[A-Z][a-z]{3}")
M2M_TOKEN_RE = re.compile(r"__([a-z]{2,3})__")
OPUS_TOKEN_RE = re.compile(r">>([a-z]{2,3})(?:_[A-Za-z]+)?<<")


def nllb_languages(vocabulary: list[str]) -> dict[str, str]:
    """Code → token for the FLORES-200 tokens in ``vocabulary`` (the table's choice first)."""
    tokens = {t for t in vocabulary if NLLB_TOKEN_RE.fullmatch(t)}
    found = {code: token for code, token in NLLB_CODES.items() if token in tokens}
    for token in sorted(tokens - set(found.values())):
        found.setdefault(token.split("_")[0], token)
    return found


def m2m_languages(vocabulary: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for token in vocabulary:
        match = M2M_TOKEN_RE.fullmatch(token)
        if match:
            found.setdefault(normalise_code(match.group(1)), token)
    return found


def opus_target_token(vocabulary: list[str], target: str) -> str | None:
    """The ``>>xxx<<`` token a multi-target OPUS-MT model needs for ``target``, if any."""
    wanted = {ISO3.get(target, target), target}
    tokens = [t for t in vocabulary if OPUS_TOKEN_RE.fullmatch(t)]
    exact = [t for t in tokens if t[2:-2] in wanted]
    if exact:
        return exact[0]
    scripted = [t for t in tokens if t[2:-2].split("_")[0] in wanted]
    return scripted[0] if scripted else None


def has_opus_target_tokens(vocabulary: list[str]) -> bool:
    return any(OPUS_TOKEN_RE.fullmatch(t) for t in vocabulary)
