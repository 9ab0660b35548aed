"""NLLB-200 (Meta; CC-BY-NC-4.0, non-commercial): FLORES-200 language tokens (``jpn_Jpan``)."""

from __future__ import annotations

from l10n.mt.engines.ct2family import register_layout
from l10n.mt.engines.langtokens import nllb_languages
from l10n.mt.engines.multilingual import LanguageTokenLayout


class NllbLayout(LanguageTokenLayout):
    family = "nllb"
    summary = "NLLB-200 models you registered (CC-BY-NC-4.0: NON-COMMERCIAL use only)"
    license = "CC-BY-NC-4.0"

    def languages(self, target_vocabulary: list[str]) -> dict[str, str]:
        return nllb_languages(target_vocabulary)


LAYOUT = register_layout(NllbLayout())
