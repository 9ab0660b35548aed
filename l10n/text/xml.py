"""Text on its way into XML (XLIFF, TMX, TBX): characters XML 1.0 forbids are replaced."""

from __future__ import annotations

import re

_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids (scraped text carries some) as U+FFFD."""
    return _XML_INVALID_RE.sub("\ufffd", text)
