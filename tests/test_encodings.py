"""Non-UTF-8 input: detection, declared charsets, byte-order marks and binary files.

Every fixture is generated here from our own text with ``str.encode``.
"""

from __future__ import annotations

import codecs
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from l10n.articles.encodings import (
    NotText,
    charset_from_content_type,
    codec_for,
    declared_in_markup,
    decode_bytes,
)
from l10n.articles.fetch import fetch_article
from l10n.articles.read import read_inputs

JA_TITLE = "日韓首脳が奈良で会談"
JA_BODY = [
    "高市早苗首相は２３日、奈良で李在明大統領と会談し、経済協力の拡大で一致した。",
    "両首脳は「未来志向の関係を築く」と強調し、次回の会談を年内に開くことも確認した。",
]
KO_TITLE = "한일 정상, 나라에서 회담"
KO_BODY = [
    "이재명 대통령은 23일 나라에서 다카이치 총리와 만나 경제 협력 확대에 합의했다.",
    '두 정상은 "대화를 멈추지 않겠다"고 밝혔으며 연내에 다시 만나기로 했다.',
]
ZH_TITLE = "两国领导人在北京会晤"
ZH_BODY = [
    "代表团二十三日抵达北京，双方就经贸合作、人员往来等议题深入交换了意见。",
    "双方同意继续保持沟通，并将于年内再次举行会谈。",
]
TW_TITLE = "兩國領導人在台北會晤"
TW_BODY = ["代表團二十三日抵達台北，雙方就經貿合作交換了意見。", "雙方同意繼續保持溝通。"]
EN_TITLE = "Café owners count the cost"
EN_BODY = [
    "The café’s owner said “business is up 20%” after paying €1,500 in fees — a naïve bet.",
    "Her résumé lists two other cafés in the old town.",
]


def _plain(title: str, body: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(body) + "\n"


@pytest.mark.parametrize(
    ("encoding", "title", "body", "recorded"),
    [
        ("cp932", JA_TITLE, JA_BODY, "cp932"),
        ("shift_jis", JA_TITLE, JA_BODY, "cp932"),
        ("euc_jp", JA_TITLE, JA_BODY, "euc_jp"),
        ("euc_kr", KO_TITLE, KO_BODY, "cp949"),
        ("cp949", KO_TITLE, KO_BODY, "cp949"),
        ("gb18030", ZH_TITLE, ZH_BODY, "gb18030"),
        ("gbk", ZH_TITLE, ZH_BODY, "gb18030"),
        ("big5", TW_TITLE, TW_BODY, "cp950"),
        ("cp1252", EN_TITLE, EN_BODY, "cp1252"),
    ],
)
def test_legacy_encoded_text_file_is_detected_and_recorded(
    tmp_path, rules, encoding, title, body, recorded
):
    path = tmp_path / f"story-{encoding}.txt"
    path.write_bytes(_plain(title, body).encode(encoding))
    batch = read_inputs([str(path)], rules)
    assert batch.errors == []
    [article] = batch.articles
    assert (article.title, article.paragraphs) == (title, body)
    assert article.encoding == recorded
    assert 0.5 < article.encoding_confidence <= 1.0


@pytest.mark.parametrize(
    ("encoding", "recorded"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32")],
)
def test_utf16_and_utf32_with_byte_order_mark(tmp_path, rules, encoding, recorded):
    text = _plain(KO_TITLE, KO_BODY)
    data = text.encode(encoding)
    if encoding.endswith("-le"):
        data = codecs.BOM_UTF16_LE + data
    elif encoding.endswith("-be"):
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    [article] = read_inputs([str(path)], rules).articles
    assert (article.title, article.paragraphs) == (KO_TITLE, KO_BODY)
    assert (article.encoding, article.encoding_confidence) == (recorded, 1.0)


def test_utf8_with_and_without_bom(tmp_path, rules):
    for name, data in (
        ("bom.txt", codecs.BOM_UTF8 + _plain(JA_TITLE, JA_BODY).encode()),
        ("plain.txt", _plain(JA_TITLE, JA_BODY).encode()),
    ):
        (tmp_path / name).write_bytes(data)
    articles = read_inputs([str(tmp_path)], rules).articles
    assert [(a.title, a.encoding, a.encoding_confidence) for a in articles] == [
        (JA_TITLE, "utf-8", 1.0),
        (JA_TITLE, "utf-8", 1.0),
    ]


def test_markdown_and_jsonl_in_legacy_encodings(tmp_path, rules):
    md = tmp_path / "brief.md"
    md.write_bytes(("# " + JA_TITLE + "\n\n" + JA_BODY[0] + "\n").encode("cp932"))
    records = [{"id": "k1", "title": KO_TITLE, "body": "\n\n".join(KO_BODY)}]
    jsonl = tmp_path / "batch.jsonl"
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    jsonl.write_bytes(lines.encode("euc_kr"))
    batch = read_inputs([str(md), str(jsonl)], rules)
    assert batch.errors == []
    by_id = {a.id: a for a in batch.articles}
    assert (by_id["brief"].title, by_id["brief"].encoding) == (JA_TITLE, "cp932")
    assert (by_id["k1"].paragraphs, by_id["k1"].encoding) == (KO_BODY, "cp949")


def _page(title: str, body: list[str], head: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>"
        f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


POLISH_TITLE = "Zażółć gęślą jaźń na rynku w Łodzi"
POLISH_BODY = [
    "Właściciele straganów w Łodzi mówią, że ruch wrócił po remoncie placu i nowej linii.",
    "Miasto zapowiada, że w przyszłym roku rynek będzie otwarty także w niedziele.",
]


def test_html_meta_charset_is_honoured(tmp_path, rules):
    # cp1250 bytes also decode as cp1252, into the wrong letters: only the meta tells.
    page = _page(POLISH_TITLE, POLISH_BODY, '<meta charset="windows-1250">')
    path = tmp_path / "rynek.html"
    path.write_bytes(page.encode("cp1250"))
    [article] = read_inputs([str(path)], rules).articles
    assert article.title == POLISH_TITLE
    assert article.paragraphs[0] == POLISH_BODY[0]
    assert (article.encoding, article.encoding_confidence) == ("cp1250", 1.0)


def test_html_http_equiv_and_xml_declaration(tmp_path, rules):
    head = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    page = '<?xml version="1.0" encoding="Shift_JIS"?>' + _page(JA_TITLE, JA_BODY, head)
    path = tmp_path / "kaidan.html"
    path.write_bytes(page.encode("cp932"))
    [article] = read_inputs([str(path)], rules).articles
    assert (article.title, article.paragraphs) == (JA_TITLE, JA_BODY)
    assert article.encoding == "cp932"


def test_html_without_declaration_is_detected(tmp_path, rules):
    path = tmp_path / "hoedam.html"
    path.write_bytes(_page(KO_TITLE, KO_BODY).encode("euc_kr"))
    [article] = read_inputs([str(path)], rules).articles
    assert article.paragraphs == KO_BODY
    assert article.encoding == "cp949"


def test_valid_utf8_wins_over_a_stale_declaration():
    page = _page(EN_TITLE, EN_BODY, '<meta charset="iso-8859-1">').encode("utf-8")
    decoded = decode_bytes(page, html=True)
    assert decoded.encoding == "utf-8"
    assert EN_BODY[0] in decoded.text


def test_declared_charset_that_does_not_fit_falls_back_to_detection():
    data = _plain(JA_TITLE, JA_BODY).encode("cp932")
    decoded = decode_bytes(data, declared="utf-8")
    assert (decoded.encoding, decoded.text.splitlines()[0]) == ("cp932", JA_TITLE)


def test_iso_2022_jp_mail_text():
    decoded = decode_bytes(_plain(JA_TITLE, JA_BODY).encode("iso2022_jp"))
    assert decoded.encoding == "iso2022_jp"
    assert decoded.text.splitlines()[0] == JA_TITLE


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200), "JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), "ZIP archive"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "executable"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(100), "NUL bytes"),
        (b"Title\n\nBody with a NUL\x00 inside.", "NUL bytes"),
        (_plain(EN_TITLE, EN_BODY).encode("utf-16-le"), "byte-order mark"),
        (bytes(range(1, 9)) * 64, "binary data"),
    ],
)
def test_binary_input_is_refused_with_the_file_and_the_fix(tmp_path, rules, data, says):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    batch = read_inputs([str(path)], rules)
    assert batch.articles == []
    [error] = batch.errors
    assert error.path == str(path)
    assert says in error.message
    assert "—" in error.message  # the message goes on to say what to do


def test_text_starting_like_an_executable_is_still_text(tmp_path, rules):
    path = tmp_path / "mz.txt"
    path.write_bytes("MZ세대의 소비가 바뀐다\n\nMZ세대는 중고 거래를 즐긴다.\n".encode("cp949"))
    [article] = read_inputs([str(path)], rules).articles
    assert article.title == "MZ세대의 소비가 바뀐다"


def test_invalid_bytes_after_a_bom_name_the_line(tmp_path, rules):
    path = tmp_path / "broken.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Title\n\nLine two\nCaf\xe9 \xff\n")
    batch = read_inputs([str(path)], rules)
    assert batch.articles == []
    assert batch.errors[0].line == 4
    assert "UTF-8" in batch.errors[0].message


def test_labels_and_content_types():
    assert codec_for("Shift_JIS") == "cp932"
    assert codec_for("EUC-KR") == "cp949"
    assert codec_for("gb2312") == "gb18030"
    assert codec_for("ISO-8859-1") == "cp1252"
    assert codec_for("UTF-8") == "utf-8"
    assert codec_for("x-no-such-charset") is None
    assert charset_from_content_type("text/html; charset=EUC-JP") == "EUC-JP"
    assert charset_from_content_type('text/html;charset="utf-8"') == "utf-8"
    assert charset_from_content_type("text/html") is None
    assert declared_in_markup(b'<html><head><meta charset="euc-jp">') == ["euc-jp"]


def test_unreadable_in_any_supported_encoding_raises_not_text():
    with pytest.raises(NotText):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        pages = {
            "/rynek": (_page(POLISH_TITLE, POLISH_BODY).encode("cp1250"), "windows-1250"),
            "/kaidan": (_page(JA_TITLE, JA_BODY).encode("euc_jp"), None),
        }
        body, charset = pages[self.path]
        self.send_response(200)
        content_type = "text/html" + (f"; charset={charset}" if charset else "")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_fetch_honours_the_http_charset(server):
    article = fetch_article(f"{server}/rynek", allow_private=True)
    assert article.title == POLISH_TITLE
    assert (article.encoding, article.encoding_confidence) == ("cp1250", 1.0)


def test_fetch_detects_an_undeclared_encoding(server):
    article = fetch_article(f"{server}/kaidan", allow_private=True)
    assert article.paragraphs == JA_BODY
    assert article.encoding == "euc_jp"
