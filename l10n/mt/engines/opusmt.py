"""OPUS-MT / Tatoeba-Challenge models (Helsinki-NLP; CC-BY-4.0), converted from Marian.

``ct2-transformers-converter --copy_files source.spm target.spm`` gives ``model.bin``,
``config.json``, ``shared_vocabulary.json`` and the two sentencepiece models. The source
is its pieces followed by ``</s>``, as MarianTokenizer writes it; a multi-target model
(its vocabulary has ``>>xxx<<`` tokens) needs the target's token first, e.g. ``>>kor<<``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from l10n.mt.engines.ct2family import (
    Codec,
    Layout,
    Pair,
    pieces_to_text,
    register_layout,
    spm_processor,
)
from l10n.mt.engines.ct2files import ModelFilesError, vocabularies
from l10n.mt.engines.langtokens import OPUS_TOKEN_RE, has_opus_target_tokens, opus_target_token

SOURCE_SPM = "source.spm"
TARGET_SPM = "target.spm"


class OpusMtCodec(Codec):
    def __init__(self, folder: Path) -> None:
        self.source = spm_processor(folder / SOURCE_SPM)
        self.target = spm_processor(folder / TARGET_SPM)
        self.vocabulary = vocabularies(folder)[0]
        self.multi_target = has_opus_target_tokens(self.vocabulary)

    def source_tokens(self, text: str, source: str, target: str) -> list[str]:
        pieces = list(self.source.encode(text, out_type=str))
        if not self.multi_target:
            return [*pieces, "</s>"]
        token = opus_target_token(self.vocabulary, target)
        if token is None:
            raise ModelFilesError(f"this multi-target OPUS-MT model has no >>{target}<< token")
        return [token, *pieces, "</s>"]

    def detokenize(self, tokens: list[str]) -> str:
        return pieces_to_text(self.target, [t for t in tokens if not OPUS_TOKEN_RE.fullmatch(t)])


class OpusMtLayout(Layout):
    family = "opus-mt"
    summary = "OPUS-MT / Tatoeba models you registered (CC-BY-4.0)"
    license = "CC-BY-4.0"
    files = ("model.bin", "config.json", SOURCE_SPM, TARGET_SPM)

    def claims(self, folder: Path, target_vocabulary: list[str]) -> bool:
        return (folder / SOURCE_SPM).is_file() and (folder / TARGET_SPM).is_file()

    def check_pair(self, folder: Path, pair: Pair, target_vocabulary: list[str]) -> None:
        if not has_opus_target_tokens(target_vocabulary):
            return
        if opus_target_token(target_vocabulary, pair[1]) is None:
            raise ModelFilesError(
                f"{folder}: this multi-target model has no >>xxx<< token for {pair[1]!r}"
            )

    def codec(self, folder: Path, languages: Mapping[str, str]) -> Codec:
        return OpusMtCodec(folder)


LAYOUT = register_layout(OpusMtLayout())
