"""What NLLB-200 and M2M100 share: one sentencepiece model, a shared vocabulary, a language
token before the source and as the target prefix.

Converted with ``ct2-transformers-converter --copy_files sentencepiece.bpe.model``, the
config sets ``add_source_bos``/``add_source_eos`` to false and ``decoder_start_token`` to
``</s>``, so the tokens are written here as Hugging Face's tokenizer writes them (its
current order): ``[source language] + pieces + ["</s>"]``; the output starts with the
target language token, which is removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from l10n.mt.engines.ct2family import Codec, Layout, pieces_to_text, spm_processor
from l10n.mt.engines.ct2files import ModelFilesError, vocabulary_file

SPM_FILE = "sentencepiece.bpe.model"


class LanguageTokenCodec(Codec):
    def __init__(self, folder: Path, languages: Mapping[str, str]) -> None:
        self.processor = spm_processor(folder / SPM_FILE)
        self.languages = dict(languages)

    def token(self, code: str) -> str:
        try:
            return self.languages[code]
        except KeyError:
            raise ModelFilesError(f"the model has no language token for {code!r}") from None

    def source_tokens(self, text: str, source: str, target: str) -> list[str]:
        pieces = list(self.processor.encode(text, out_type=str))
        return [self.token(source), *pieces, "</s>"]

    def target_prefix(self, target: str) -> list[str]:
        return [self.token(target)]

    def detokenize(self, tokens: list[str]) -> str:
        return pieces_to_text(self.processor, tokens, drop=self.languages.values())


class LanguageTokenLayout(Layout):
    multilingual = True
    files = ("model.bin", "config.json", SPM_FILE)

    def claims(self, folder: Path, target_vocabulary: list[str]) -> bool:
        return (
            (folder / SPM_FILE).is_file()
            and vocabulary_file(folder, "shared") is not None
            and len(self.languages(target_vocabulary)) >= 2
        )

    def check_config(self, folder: Path, config: Mapping[str, Any]) -> None:
        super().check_config(folder, config)
        if config.get("decoder_start_token") != "</s>":
            raise ModelFilesError(
                f"{folder / 'config.json'}: decoder_start_token is "
                f"{config.get('decoder_start_token')!r}, not '</s>' as "
                "ct2-transformers-converter writes it for this family"
            )

    def codec(self, folder: Path, languages: Mapping[str, str]) -> Codec:
        return LanguageTokenCodec(folder, languages)
