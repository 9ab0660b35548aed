"""Turning input bytes into text: byte-order marks, declared charsets, detection, binary files.

Newsrooms in Japan, Korea and China still save Shift_JIS (CP932), EUC-JP, EUC-KR (CP949),
GB18030 and Big5 files, and Western ones cp1252. The order is the one browsers follow:
1. a byte-order mark (UTF-8, UTF-16, UTF-32) is the encoding;
2. bytes that are valid UTF-8 are UTF-8, whatever a stale declaration claims (legacy text is
   practically never valid UTF-8 by accident, while "iso-8859-1" templates serving UTF-8 are
   common);
3. a declared charset (the HTTP Content-Type, then an HTML ``<meta charset>`` or XML
   declaration) is used when the bytes decode with it, legacy labels widened to the superset
   browsers use (Shift_JIS → CP932, EUC-KR → CP949, GB2312/GBK → GB18030, Latin-1 → cp1252);
4. otherwise charset-normalizer picks among those encodings (among all it knows when none
   fits), and one minus the mess it measured is recorded as the confidence.
Binary input (NUL bytes, images, archives, executables) is refused with what to do instead.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from l10n.errors import L10nError

LEGACY_ENCODINGS = ("cp932", "euc_jp", "cp949", "gb18030", "cp950", "cp1252")
"""What detection chooses among when the bytes are not UTF-8 and declare nothing usable."""

# WHATWG's mapping of legacy labels to the superset every browser decodes them with.
_WIDER = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "windows-949": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "cp950",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "latin_1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)
# Windows executables ("MZ…") and most other binaries are caught by their NUL bytes: a
# signature test for "MZ" would refuse Korean text opening with "MZ세대".
# ISO-2022-JP (Japanese mail) is 7-bit and so valid UTF-8; its escape sequences give it away.
_ISO2022JP = re.compile(rb"\x1b\$[@B]|\x1b\([BJ]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_SNIFF = 4096
MAX_OTHER_CHAOS = 0.1
"""Mess charset-normalizer may find in an encoding outside ``LEGACY_ENCODINGS`` we accept."""
MAX_CONTROL_SHARE = 0.01
"""Above this share of control characters decoded text is taken for binary data."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    """Python's codec name: ``utf-8``, ``cp932``, ``utf-16`` …"""
    confidence: float


class NotText(L10nError):
    """Bytes that are not text in any supported encoding; the message says what to do."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message, line)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message


def decode_bytes(data: bytes, *, declared: str | None = None, html: bool = False) -> Decoded:
    """Text of ``data``; ``declared`` is a charset from outside (HTTP), ``html`` reads ``<meta>``.

    Raises ``NotText`` for binary data or bytes no supported encoding reads.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, codec), codec.removesuffix("-sig"), 1.0)
    _refuse_binary(data)
    if _ISO2022JP.search(data):
        try:
            return _checked(data.decode("iso2022_jp"), "iso2022_jp", 1.0)
        except UnicodeDecodeError:
            pass
    try:
        return _checked(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    labels = [declared] if declared else []
    if html:
        labels += declared_in_markup(data)
    for label in labels:
        found = codec_for(label)
        if found is not None and found != "utf-8":
            try:
                return _checked(data.decode(found), found, 1.0)
            except UnicodeDecodeError:
                continue
    return _detect(data)


def codec_for(label: str | None) -> str | None:
    """Python codec for a charset label (``Shift_JIS`` → ``cp932``), None when unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_in_markup(data: bytes) -> list[str]:
    """Charsets named by ``<meta charset>``/``http-equiv`` or an XML declaration, in order."""
    head = data[:_SNIFF]
    found = [m.group(1).decode("ascii") for m in _XML_ENCODING.finditer(head)]
    found += [m.group(1).decode("ascii") for m in _META_CHARSET.finditer(head)]
    return found


def charset_from_content_type(content_type: str | None) -> str | None:
    """``text/html; charset=Shift_JIS`` → ``Shift_JIS``."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip("\"'"):
            return value.strip().strip("\"'")
    return None


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        # None of the usual ones: any encoding charset-normalizer reads with little mess.
        best = from_bytes(data).best()
        if best is not None and best.chaos > MAX_OTHER_CHAOS:
            best = None
    if best is None:
        raise NotText(
            "not text in a supported encoding (UTF-8, UTF-16/32 with BOM, Shift_JIS, EUC-JP, "
            "EUC-KR, GB18030, Big5, cp1252) — re-save it as UTF-8"
        )
    codec = codec_for(best.encoding) or best.encoding
    confidence = round(max(0.0, 1.0 - best.chaos), 4)
    return _checked(_strict(data, codec), codec, confidence)


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NotText(f"bytes are not valid {codec} — re-save the file as UTF-8", line) from exc


def _refuse_binary(data: bytes) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise NotText(f"this is {kind}, not text — pass the article as .txt, .md or .html")
    if b"\x00" in data[:_SNIFF]:
        raise NotText(
            "binary data (NUL bytes), not text — pass a text file; UTF-16 text needs a "
            "byte-order mark, or re-save it as UTF-8"
        )


def _checked(text: str, encoding: str, confidence: float) -> Decoded:
    sample = text[: _SNIFF * 4]
    if sample and len(_CONTROL.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise NotText("binary data, not text — pass the article as .txt, .md or .html")
    return Decoded(text, encoding, confidence)
