"""quickmt (CC-BY-4.0): bilingual models published already converted to CTranslate2.

The folder holds ``model.bin``, ``config.json``, ``source_vocabulary.json``,
``target_vocabulary.json``, ``src.spm.model`` and ``tgt.spm.model``. The source is its
sentencepiece pieces alone, as quickmt's own translator sends it; the output is the target
model's pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from l10n.mt.engines.ct2family import Codec, Layout, pieces_to_text, register_layout, spm_processor

SOURCE_SPM = "src.spm.model"
TARGET_SPM = "tgt.spm.model"


class QuickmtCodec(Codec):
    def __init__(self, folder: Path) -> None:
        self.source = spm_processor(folder / SOURCE_SPM)
        self.target = spm_processor(folder / TARGET_SPM)

    def source_tokens(self, text: str, source: str, target: str) -> list[str]:
        return list(self.source.encode(text, out_type=str))

    def detokenize(self, tokens: list[str]) -> str:
        return pieces_to_text(self.target, tokens)


class QuickmtLayout(Layout):
    family = "quickmt"
    summary = "quickmt models you registered (CC-BY-4.0)"
    license = "CC-BY-4.0"
    files = (
        "model.bin",
        "config.json",
        "source_vocabulary.json",
        "target_vocabulary.json",
        SOURCE_SPM,
        TARGET_SPM,
    )

    def claims(self, folder: Path, target_vocabulary: list[str]) -> bool:
        return (folder / SOURCE_SPM).is_file() and (folder / TARGET_SPM).is_file()

    def codec(self, folder: Path, languages: Mapping[str, str]) -> Codec:
        return QuickmtCodec(folder)


LAYOUT = register_layout(QuickmtLayout())
