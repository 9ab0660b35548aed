"""M2M100 (Meta; MIT): language tokens written ``__ja__``."""

from __future__ import annotations

from l10n.mt.engines.ct2family import register_layout
from l10n.mt.engines.langtokens import m2m_languages
from l10n.mt.engines.multilingual import LanguageTokenLayout


class M2M100Layout(LanguageTokenLayout):
    family = "m2m100"
    summary = "M2M100 models you registered (MIT)"
    license = "MIT"

    def languages(self, target_vocabulary: list[str]) -> dict[str, str]:
        return m2m_languages(target_vocabulary)


LAYOUT = register_layout(M2M100Layout())
