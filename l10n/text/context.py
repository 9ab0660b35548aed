"""Sentences that mean something only in their article: reused translations are not applied.

An approved translation is reused when another article has the same source sentence. That is
safe for a sentence that names who and what it is about ("Prime Minister Sanae Takaichi met
President Lee Jae Myung in Nara."). It is not for one that leans on the sentences before it:
"He said the talks went well." was approved as 李大統領は… in a story about Lee, and would put
Lee into a story about Xi. A translator resolves pronouns and references from context, so the
translation carries context the sentence does not.

The rule (English sources, the glossary's language): a sentence is context-dependent when it
holds a personal or possessive pronoun (he, she, they, his, her, their…), a demonstrative that
points back (this, that, these, those, the former, the latter), or an anaphoric noun phrase
such as "the two leaders", "the president", "the minister" without a name. Such a reuse is
offered to the reviewer as a suggestion, with where it came from, and the segment is
translated as usual. Other source languages are not judged (nothing is withheld).
"""

from __future__ import annotations

import re

_EN_CONTEXT_RE = re.compile(
    r"\b(?:he|she|they|him|her|hers|his|them|their|theirs|its|it|"
    r"this|that|these|those|the former|the latter|"
    r"the (?:two|three|both) (?:leaders|sides|countries|men|women)|"
    r"the (?:president|minister|prime minister|premier|leader|spokesperson|spokesman|official)"
    r"(?!(?-i: [A-Z])))\b",
    re.IGNORECASE,
)


def context_dependent(text: str, lang: str) -> str | None:
    """The word that makes ``text`` depend on its article (see the module), or None."""
    if lang != "en":
        return None
    match = _EN_CONTEXT_RE.search(text)
    return match.group(0) if match else None
