"""IPTC ninjs in and out: items in 1.x, 2.x and 3.x spelling, HTML bodies, the schemas."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from lxml import html as lxml_html
from ninjs_items import (
    HEADLINE_ONLY,
    HTML_BODY,
    HTML_PARAGRAPHS,
    PICTURE_ITEM,
    V1_ITEM,
    V2_ITEM,
    V3_ITEM,
    write_items,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from l10n.articles.boilerplate import default_rules
from l10n.articles.read import read_inputs
from l10n.formats.ninjs import fill_html, html_blocks, read_item, target_uri, version_of
from l10n.models import ModelInfo

SCHEMAS = Path(__file__).parent / "fixtures" / "ninjs-schemas"
SCHEMA_OF = {"1": "1.6", "2": "2.2", "3": "3.1"}


# The schemas point at geojson.org for a place's geometry; it is not fetched: any geometry
# passes (the items written here have none).
GEOJSON = "https://geojson.org/schema/GeoJSON.json"
_OFFLINE = Registry().with_resource(GEOJSON, Resource.from_contents({}, DRAFT202012))


def schema_errors(item: dict[str, Any], version: str) -> list[str]:
    name = SCHEMA_OF[version]
    schema = json.loads((SCHEMAS / f"ninjs-schema_{name}.json").read_text("utf-8"))
    validator = Draft7Validator if name == "1.6" else Draft202012Validator
    errors = validator(schema, registry=_OFFLINE).iter_errors(item)
    return [f"{list(e.path)}: {e.message}" for e in errors]


SENT: list[str] = []


class BracketEngine:
    """Keeps the source words and marks the target: inline markup can be placed back."""

    name = "bracket"
    is_pseudo = False
    carries_placeholders = False
    needs_model = False
    options: ClassVar[dict] = {}
    settings: ClassVar[dict] = {}

    def __init__(self, settings: Any = None) -> None:
        pass

    def can_translate(self, source: str, target: str) -> bool:
        return True

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return [ModelInfo(f"bracket-{source}-{target}", "1", None, source, target)]

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        return "bracket translates every pair"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        SENT.extend(texts)
        return [f"«{target}» {text}" for text in texts]


@pytest.fixture
def bracket() -> Iterator[None]:
    from l10n.mt.engines import registry

    registry.families()
    registry.register(registry.Family("bracket", BracketEngine, "keeps words, marks target"))
    SENT.clear()
    yield
    registry._families.pop("bracket")
    registry.engine_from_spec.cache_clear()


def test_the_schemas_catch_a_wrong_spelling():
    """The check below can fail: a 2.x key in a 3.x item, and a missing uri, are refused."""
    assert schema_errors({**V3_ITEM, "pubstatus": "usable"}, "3")
    assert schema_errors({k: v for k, v in V2_ITEM.items() if k != "uri"}, "2")
    assert not schema_errors(V3_ITEM, "3")


@pytest.mark.parametrize(
    ("item", "version"), [(V1_ITEM, "1"), (V2_ITEM, "2"), (V3_ITEM, "3"), (HEADLINE_ONLY, "3")]
)
def test_version_is_read_from_the_spelling(item: dict[str, Any], version: str):
    assert version_of(item) == version


def test_html_body_blocks_are_text_only():
    assert html_blocks(HTML_BODY) == [
        "Die Stadt Lindau hat am Montag einen neuen Hafen eröffnet. Der Bürgermeister sprach "
        "von einem großen Tag für die Region.",
        "Kosten",
        "Der Bau kostete 12 Millionen Euro und dauerte drei Jahre.",
        "Neue Liegeplätze für 80 Boote",
        "Ein Fährterminal am Ufer",
    ]


def test_inline_markup_is_kept_where_its_text_is_found_and_listed_where_not():
    filled = fill_html(
        "<p>Der <em>Hafen</em> in <a href='https://x.example/'>Lindau</a>.</p>",
        ["港は Lindau にある。"],
    )
    root = lxml_html.fragment_fromstring(filled.html, create_parent="div")
    [link] = root.findall(".//a")
    assert (link.text, link.get("href")) == ("Lindau", "https://x.example/")
    assert root.text_content() == "港は Lindau にある。"
    assert filled.unplaced == ["<em>Hafen</em>"]


def test_items_without_text_are_reported_with_the_reason(tmp_path: Path):
    (tmp_path / "photo.json").write_text(json.dumps(PICTURE_ITEM), "utf-8")
    (tmp_path / "flash.json").write_text(json.dumps(HEADLINE_ONLY), "utf-8")
    (tmp_path / "broken.json").write_text('{"uri": "urn:x", "headlines": ', "utf-8")
    (tmp_path / "nouri.json").write_text('{"headlines": [{"value": "Titel"}]}', "utf-8")
    batch = read_inputs([str(tmp_path)], default_rules())
    [flash] = batch.articles
    assert (flash.title, flash.paragraphs) == ("Eilmeldung: Hafen in Lindau eröffnet", [])
    messages = {Path(e.path).name: e.message for e in batch.errors}
    assert set(messages) == {"photo.json", "broken.json", "nouri.json"}
    assert "no text to translate: a picture item" in messages["photo.json"]
    assert messages["broken.json"].startswith("invalid JSON")
    assert 'missing "uri"' in messages["nouri.json"]


def test_jsonl_of_items_reads_each_line_and_names_bad_lines(tmp_path: Path):
    lines = [json.dumps(V2_ITEM), json.dumps(PICTURE_ITEM), json.dumps(V3_ITEM)]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    batch = read_inputs([str(path)], default_rules())
    assert [a.id for a in batch.articles] == [
        "news.example.org-items-2026-lindau-hafen-2",
        "example-no-2026-ferje-1",
    ]
    [error] = batch.errors
    assert (error.line, "picture" in error.message) == (2, True)
    ferje = batch.articles[1]
    assert ferje.lang_hint == "nb"
    assert ferje.title == "Ny ferje mellom Bergen og Stord fra våren"
    assert len(ferje.paragraphs) == 3  # the description, then the body's two paragraphs


def test_reading_keeps_the_item_and_where_its_text_goes():
    text = read_item(V2_ITEM)
    assert text.headline == "Neuer Hafen in Lindau eröffnet"
    assert text.paragraphs[0] == "Zwölf Millionen Euro für Liegeplätze und Fähre"
    assert len(text.paragraphs) == 1 + HTML_PARAGRAPHS


def _p_count(html: str) -> int:
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    return len(root.xpath(".//p|.//h2|.//li"))


def test_a_run_writes_valid_ninjs_of_the_same_version_per_target(tmp_path: Path, bracket):
    from l10n.pipeline import RunOptions, translate_run

    files = write_items(tmp_path / "in")
    summary = translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja", "ko"],
            engine="bracket",
            out=str(tmp_path / "out"),
            run_id="wire",
        )
    )
    assert len(summary.done) == 3 and not summary.failed
    assert not any("<" in text for text in SENT), "markup went to the engine"
    run = tmp_path / "out" / "wire"
    for key, source in (("v1", V1_ITEM), ("v2", V2_ITEM), ("v3", V3_ITEM)):
        [folder] = [p.parent for p in run.glob("*/source.ninjs.json") if _uri(p) == source["uri"]]
        assert files[key].exists()
        for lang in ("ja", "ko"):
            item = json.loads((folder / f"{lang}.ninjs.json").read_text("utf-8"))
            version = key[1]
            assert schema_errors(item, version) == [], (key, lang)
            assert version_of(item) == version
            assert item["uri"] == target_uri(source["uri"], lang) != source["uri"]
            assert item["language"] == lang
            _check_link_and_metadata(item, source, version)
            _check_text(item, source, version, lang)


def _uri(path: Path) -> str:
    return str(json.loads(path.read_text("utf-8"))["item"]["uri"])


def _check_link_and_metadata(item: dict[str, Any], source: dict[str, Any], version: str) -> None:
    if version == "1":
        assert item["associations"]["translationsource"]["uri"] == source["uri"]
        assert item["associations"]["featureimage"] == source["associations"]["featureimage"]
        assert item["altids"]["sourceuri"] == source["uri"]
        kept = ("subject", "place", "person", "urgency", "pubstatus")
        note = item["ednote"]
    else:
        [link] = [a for a in item["associations"] if a["name"] == "translation-source"]
        assert (link["uri"], link["language"]) == (source["uri"], source["language"])
        ids = item["altIds" if version == "3" else "altids"]
        assert {"role": "source-uri", "value": source["uri"]} in ids
        kept = ("subjects", "places", "urgency", "pubStatus" if version == "3" else "pubstatus")
        note = item["edNote" if version == "3" else "ednote"]
    for key in kept:
        assert item[key] == source[key], key
    assert "engine bracket" in note and "0 approved" in note


def _check_text(item: dict[str, Any], source: dict[str, Any], version: str, lang: str) -> None:
    if version == "1":
        assert item["headline"] == f"«{lang}» {source['headline']}"
        html = item["body_html"]
    else:
        assert item["headlines"][0]["value"] == f"«{lang}» {source['headlines'][0]['value']}"
        bodies = item["bodies"]
        assert all("charcount" not in b and "charCount" not in b for b in bodies)
        html = bodies[0]["value"]
    if version == "3":
        assert item["descriptions"][0]["value"].startswith(f"«{lang}» Fylkeskommunen")
        paragraphs = html.split("\n\n")
        assert len(paragraphs) == 2 and all(p.startswith(f"«{lang}» ") for p in paragraphs)
        assert "Source note: Oppdatert med pris." in item["edNote"]
        return
    assert _p_count(html) == HTML_PARAGRAPHS == _p_count(HTML_BODY)
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    [link] = root.findall(".//a")
    assert link.get("href") == "https://example.org/hafen" and link.text == "großen Tag"
    assert root.find(".//em").text == "Lindau"
    assert root.find(".//h2").text == f"«{lang}» Kosten"


def test_declared_language_that_detection_disagrees_with_is_flagged(tmp_path: Path, bracket):
    from l10n.pipeline import RunOptions, translate_run

    wrong = {**V3_ITEM, "uri": "urn:example:no:2026:ferje-2", "language": "de"}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wrong.json").write_text(json.dumps(wrong), "utf-8")
    (tmp_path / "in" / "right.json").write_text(json.dumps(V3_ITEM), "utf-8")
    translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja"],
            engine="bracket",
            out=str(tmp_path / "out"),
            run_id="lang",
        )
    )
    run = tmp_path / "out" / "lang"
    flags = {}
    for folder in (run / "example-no-2026-ferje-2", run / "example-no-2026-ferje-1"):
        rows = [json.loads(line) for line in (folder / "segments.jsonl").read_text().splitlines()]
        flags[folder.name] = [f["code"] for r in rows for f in r["targets"]["ja"]["flags"]]
    assert flags["example-no-2026-ferje-2"].count("language-mismatch") == 1
    assert "language-mismatch" not in flags["example-no-2026-ferje-1"]
    item = json.loads((run / "example-no-2026-ferje-2" / "ja.ninjs.json").read_text("utf-8"))
    assert 'declares language "de" but its text reads as "nb"' in item["edNote"]


def test_export_writes_ninjs_for_any_run_with_the_reviewed_text(tmp_path: Path, bracket):
    from click.testing import CliRunner

    from l10n.cli import main
    from l10n.models import Review, ReviewStatus
    from l10n.pipeline import RunOptions, translate_run
    from l10n.run.store import Run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "harbour.txt").write_text(
        "Lindau opens a new harbour\n\nThe harbour cost 12 million euros.\n\nIt took three "
        "years to build.\n",
        "utf-8",
    )
    (tmp_path / "in" / "lindau.json").write_text(json.dumps(V2_ITEM), "utf-8")
    translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja"],
            engine="bracket",
            out=str(tmp_path / "out"),
            run_id="mixed",
        )
    )
    run = Run.open(tmp_path / "out" / "mixed")
    article_id = "news.example.org-items-2026-lindau-hafen-2"
    translated = run.read_article(article_id)
    translated.translations["ja"][0].review = Review(
        ReviewStatus.APPROVED, "リンダウに新しい港", "Mina", "2026-03-01T12:00:00Z"
    )
    run.update_article(translated)
    outbox = tmp_path / "outbox"
    result = CliRunner().invoke(main, ["export", str(run.local_dir), "-o", str(outbox)])
    assert result.exit_code == 0, result.output
    assert "2 ninjs file(s) written" in result.output
    item = json.loads((outbox / article_id / "ja.ninjs.json").read_text("utf-8"))
    assert item["headlines"][0]["value"] == "リンダウに新しい港"
    assert "1 approved" in item["ednote"]
    assert schema_errors(item, "2") == []
    plain = json.loads((outbox / "harbour" / "ja.ninjs.json").read_text("utf-8"))
    assert schema_errors(plain, "3") == []
    assert plain["uri"] == "urn:l10n:mixed:harbour:ja"
    assert plain["bodies"][0]["value"].split("\n\n") == [
        "«ja» The harbour cost 12 million euros.",
        "«ja» It took three years to build.",
    ]
    assert plain["associations"][0]["uri"] == "urn:l10n:mixed:harbour"


def test_export_of_a_folder_that_is_no_run_says_so(tmp_path: Path):
    from click.testing import CliRunner

    from l10n.cli import main

    result = CliRunner().invoke(main, ["export", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and str(tmp_path / "nothing") in result.output


def test_target_uri_adds_the_language_to_the_path():
    assert target_uri("urn:newsml:example.org:1", "ja") == "urn:newsml:example.org:1:ja"
    assert target_uri("https://x.example/items/7?v=2#top", "ko") == (
        "https://x.example/items/7/ko?v=2#top"
    )


def test_a_whole_html_document_is_kept_and_an_xml_body_is_left_out_with_a_note():
    from l10n.formats.ninjs import TargetText, write_item

    document = (
        "<!DOCTYPE html><html><head><title>Hafen offen</title></head><body><article>"
        "<h1>Hafen offen</h1><p>Der Hafen ist offen.</p></article></body></html>"
    )
    item = {
        "uri": "urn:example:doc:1",
        "language": "de",
        "pubStatus": "usable",
        "headlines": [{"value": "Hafen offen"}],
        "bodies": [
            {"contentType": "text/html", "value": document},
            {"contentType": "application/xml", "value": "<nitf><p>Der Hafen</p></nitf>"},
        ],
    }
    text = read_item(item)
    assert text.paragraphs == ["Hafen offen", "Hafen offen", "Der Hafen ist offen."]
    target = TargetText("ja", "港が開く", ["港が開く", "港が開く", "港は開いている。"], "note")
    out, _ = write_item(item, text.layout(), target)
    assert schema_errors(out, "3") == []
    [body] = out["bodies"]
    assert body["value"].startswith("<!DOCTYPE html>\n<html><head><title>港が開く</title>")
    assert "<p>港は開いている。</p>" in body["value"] and "Hafen" not in body["value"]
    assert "Left out: bodies[1] (application/xml)" in out["edNote"]


EXAMPLES = os.environ.get("NINJS_EXAMPLES")  # a checkout of github.com/iptc/newsinjson
STANDARD_ITEMS = [
    "examples/2.1/dpa_text.json",  # German agency item, HTML body, 2.x spelling
    "examples/3.0/dpa_text.json",  # the same in 3.x spelling
    "documentation/includes/examples/1.6/005_complex_text_article.json",
    "documentation/includes/examples/2.2/005_complex_text_article.json",
    "documentation/includes/examples/3.1/005_complex_text_article.json",  # English, complex
    "examples/2.1/ntb_text.json",  # Norwegian headline and description
    "examples/3.0/ntb_text.json",
    "examples/3.0/tt_text_image_3.json",  # whole HTML documents and an XML (NITF) body
]


@pytest.mark.skipif(not EXAMPLES, reason="set NINJS_EXAMPLES to a newsinjson checkout")
@pytest.mark.parametrize("name", STANDARD_ITEMS)
def test_the_standards_own_items_come_out_valid_per_target(name: str, tmp_path: Path):
    """The standard's example items (not copied here: read from a checkout of it)."""
    from l10n.pipeline import RunOptions, translate_run

    source = json.loads((Path(str(EXAMPLES)) / name).read_text("utf-8"))
    (tmp_path / "item.json").write_text(json.dumps(source), "utf-8")
    summary = translate_run(
        RunOptions(
            inputs=[str(tmp_path / "item.json")],
            targets=["ja", "ko"],
            engine="pseudo",
            out=str(tmp_path / "out"),
            run_id="std",
        )
    )
    [done] = summary.done
    version = version_of(source)
    for lang in ("ja", "ko"):
        path = tmp_path / "out" / "std" / done.id / f"{lang}.ninjs.json"
        item = json.loads(path.read_text("utf-8"))
        assert schema_errors(item, version) == []
        assert (item["uri"], item["language"]) == (target_uri(source["uri"], lang), lang)
        for before, after in zip(_html_bodies(source), _html_bodies(item), strict=True):
            assert _p_count(after) == _p_count(before) > 0


def _html_bodies(item: dict[str, Any]) -> list[str]:
    values = [
        b["value"]
        for b in item.get("bodies") or []
        if "html" in str(b.get("contentType") or b.get("contenttype"))
    ]
    return values + [v for k, v in item.items() if k.startswith("body_") and "html" in k]
