from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import factory, tmx, xliff

from l10n.models import TargetEngine
from l10n.review.files import rebuild_review_files
from l10n.review.interchange import render_xliff
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
XLIFF_NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def run_copy(tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(FIXTURE, target)
    return target


def write_xliff(run_dir: Path, article_id: str, pseudo: bool = False) -> list[Path]:
    translated = Run.open(run_dir).read_article(article_id)
    if pseudo:
        translated.engines = {
            lang: TargetEngine("pseudo", True) for lang in translated.translations
        }
    files = render_xliff(translated)
    paths = []
    for name, data in files.items():
        path = run_dir / article_id / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def write_tmx(run_dir: Path) -> Path:
    rebuild_review_files(Run.open(run_dir))
    return run_dir / "translations.tmx"


@pytest.mark.parametrize("article_id", ["nara-summit", "hostile-page"])
def test_xliff_reads_back_with_translate_toolkit(run_copy: Path, article_id: str) -> None:
    article = Run.open(run_copy).read_article(article_id)
    paths = write_xliff(run_copy, article_id)
    assert [p.name for p in paths] == ["ja.xlf", "ko.xlf"]
    for path in paths:
        lang = path.stem
        store = factory.getobject(str(path))
        assert isinstance(store, xliff.xlifffile)
        assert store.getsourcelanguage() == "en"
        assert store.gettargetlanguage() == lang
        units = [u for u in store.getunits() if not u.isheader()]
        assert len(units) == len(article.plan.segments)
        for unit, segment in zip(units, article.plan.segments, strict=True):
            view = article.translations[lang][segment.index]
            assert unit.source == segment.text
            assert unit.target == view.final
            assert [alt.target for alt in unit.getalttrans()] == [view.mt]
            notes = unit.getnotes()
            for change in view.changes:
                assert f"{change.entry_id}: {change.before} → {change.after}" in notes
            for flag in view.flags:
                assert f"{flag.code}: {flag.message}" in notes


def test_xliff_has_the_required_attributes_and_review_states(run_copy: Path) -> None:
    (ja, _ko) = write_xliff(run_copy, "hostile-page")
    root = etree.parse(str(ja)).getroot()
    assert root.get("version") == "1.2"
    (file_el,) = root.findall("x:file", XLIFF_NS)
    for attribute in ("original", "source-language", "datatype"):
        assert file_el.get(attribute)
    states = [t.get("state") for t in root.iterfind(".//x:trans-unit/x:target", XLIFF_NS)]
    # every ja segment of this article has a QA flag
    assert states == ["needs-review-translation"] * 3


def test_pseudo_xliff_is_not_marked_as_translated(run_copy: Path) -> None:
    (ja, _ko) = write_xliff(run_copy, "nara-summit", pseudo=True)
    root = etree.parse(str(ja)).getroot()
    states = {t.get("state") for t in root.iterfind(".//x:trans-unit/x:target", XLIFF_NS)}
    assert states == {"needs-translation"}
    header_notes = [n.text for n in root.iterfind(".//x:header/x:note", XLIFF_NS)]
    assert "PSEUDO-LOCALIZED — not a translation" in header_notes


def test_control_characters_from_the_web_still_give_well_formed_xml(run_copy: Path) -> None:
    segments = run_copy / "nara-summit" / "segments.jsonl"
    rows = [json.loads(line) for line in segments.read_text(encoding="utf-8").splitlines()]
    rows[0]["source"] = "bell\x07 and form feed\x0c"
    segments.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (ja, _ko) = write_xliff(run_copy, "nara-summit")
    units = xliff.xlifffile.parsestring(ja.read_bytes()).getunits()
    assert units[0].source == "bell\ufffd and form feed\ufffd"
    tm = tmx.tmxfile(write_tmx(run_copy).open("rb"))
    assert tm.units[0].source == "bell\ufffd and form feed\ufffd"


def test_tmx_holds_every_corrected_pair(run_copy: Path) -> None:
    path = write_tmx(run_copy)
    assert path == run_copy / "translations.tmx"
    run = Run.open(run_copy)
    expected = [
        (segment.text, article.translations[lang][segment.index].final, lang)
        for article in run.iter_articles()
        for segment in article.plan.segments
        for lang in run.read_summary().targets
    ]
    with path.open("rb") as handle:
        store = tmx.tmxfile(handle)
    units = store.units
    assert len(units) == len(expected) == 16
    root = etree.parse(str(path)).getroot()
    tuv_langs = [
        [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] for tu in root.iterfind("body/tu")
    ]
    for unit, langs, (source, final, lang) in zip(units, tuv_langs, expected, strict=True):
        assert unit.source == source
        assert unit.target == final
        assert langs == ["en", lang]


def test_tmx_header_has_the_required_attributes(run_copy: Path) -> None:
    root = etree.parse(str(write_tmx(run_copy))).getroot()
    assert root.tag == "tmx"
    assert root.get("version") == "1.4"
    header = root.find("header")
    required = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang")
    for attribute in (*required, "srclang", "datatype"):
        assert header.get(attribute), attribute
    assert header.get("segtype") == "sentence"
    assert header.get("srclang") == "en"
    assert header.get("creationdate") == "20260301T090042Z"
    assert all(tu.get("srclang") == "en" for tu in root.iterfind("body/tu"))


def test_tmx_srclang_is_all_when_articles_differ(run_copy: Path) -> None:
    manifest_path = run_copy / "hostile-page" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["source_language"]["code"] = "fr"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    root = etree.parse(str(write_tmx(run_copy))).getroot()
    assert root.find("header").get("srclang") == "*all*"
    assert {tu.get("srclang") for tu in root.iterfind("body/tu")} == {"en", "fr"}
