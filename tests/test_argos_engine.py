"""ArgosEngine on real (tiny, random-weight) packages of every layout published packages use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from modelkit import VARIANTS, build_test_package

from l10n.mt import packages as ap
from l10n.mt.engines.argos import ArgosEngine
from l10n.mt.engines.base import Engine, MissingModelError

pytestmark = pytest.mark.slow

SENTENCES = [
    "Sanae Takaichi visited Nara on Monday.",
    "Lee Jae Myung met officials in Seoul to discuss trade and security.",
    "",
    "Prices rose 3.2% in October, the fastest pace since 2019, officials said on Tuesday.",
    "Hello",
    "   ",
    "高市早苗首相は奈良を訪問した。",
    "이재명 대통령은 서울에서 연설했다.",
    "The delegation, led by the foreign minister, left Busan after a two-day summit "
    "that produced agreements on fisheries, energy and student exchanges.",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("built")


def _install(built: Path, packages: Path, pairs, variant: str = "plain") -> None:
    for source, target in pairs:
        ap.install_archive(build_test_package(built, source, target, variant=variant), packages)


@pytest.fixture(scope="module")
def pivot_dir(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    packages = tmp_path_factory.mktemp("pivot")
    _install(built, packages, [("en", "ja"), ("ko", "en")])
    _install(built, packages, [("en", "ko")], variant="target_prefix")
    return packages


def _longest_token(package: Path) -> int:
    """Characters in the longest target token: bounds the text a capped output can hold."""
    model = package / "model"
    for name in ("target_vocabulary", "shared_vocabulary"):
        if (model / f"{name}.json").exists():
            return max(len(t) for t in json.loads((model / f"{name}.json").read_text()))
        if (model / f"{name}.txt").exists():
            return max(len(t) for t in (model / f"{name}.txt").read_text().splitlines())
    raise AssertionError(f"no vocabulary in {model}")


def _token_count(engine: ArgosEngine, hop: tuple[str, str], text: str) -> int:
    return len(engine._load(hop).encode(text))


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_package_layout_loads_and_translates(variant: str, built: Path, tmp_path: Path):
    from argostranslate.package import Package

    _install(built, tmp_path, [("en", "ja")], variant=variant)
    (info,) = ap.installed_packages(tmp_path)
    pkg = Package(info.path)  # argostranslate's own reading of the layout
    assert pkg.tokenizer is not None
    if variant == "stanza_dir":
        assert pkg.packaged_sbd_path == info.path / "stanza"
    if variant == "target_prefix":
        assert info.target_prefix == pkg.target_prefix == "__ja__"

    engine = ArgosEngine(tmp_path, beam_size=2, threads=1)
    first = engine.translate_batch(SENTENCES, "en", "ja")
    second = ArgosEngine(tmp_path, beam_size=2, threads=1).translate_batch(
        list(reversed(SENTENCES)), "en", "ja"
    )
    assert len(first) == len(SENTENCES)
    assert first == list(reversed(second))  # deterministic and order-preserving
    for source, output in zip(SENTENCES, first, strict=True):
        if not source.strip():
            assert output == source
            continue
        assert output.strip(), f"empty translation for {source!r}"
        assert "__ja__" not in output and not output.startswith(" ")
        limit = min(256, int(_token_count(engine, ("en", "ja"), source.strip()) * 3.0) + 10)
        assert len(output) <= limit * _longest_token(info.path)
    assert len(set(first) - {""}) > 3  # different inputs give different outputs


def test_output_length_is_capped_relative_to_the_source(built: Path, tmp_path: Path):
    _install(built, tmp_path, [("en", "ja")])
    engine = ArgosEngine(tmp_path, beam_size=1, max_length_ratio=0.5, threads=1)
    loaded = engine._load(("en", "ja"))
    source = SENTENCES[-1]
    out = engine.translate_batch([source], "en", "ja")[0]
    uncapped = loaded.translator.translate_batch(
        [loaded.encode(source)], beam_size=1, max_decoding_length=256
    )[0].hypotheses[0]
    cap = int(len(loaded.encode(source)) * 0.5) + 10
    assert len(uncapped) > cap, "the test model must run past the cap for this test to mean much"
    # greedy decoding: the capped output is the uncapped one cut at the cap
    assert out == loaded.decode(uncapped[:cap])


def test_batches_fit_the_token_budget_and_keep_order(built: Path, tmp_path: Path):
    _install(built, tmp_path, [("en", "ja")])
    texts = [SENTENCES[i % len(SENTENCES)] + f" {i}" for i in range(40)]
    # Greedy: a beam's pick at the length cap may differ with its batch's cap, greedy's not.
    small = ArgosEngine(tmp_path, beam_size=1, max_batch_tokens=40, threads=1)
    large = ArgosEngine(tmp_path, beam_size=1, max_batch_tokens=4096, threads=1)
    loaded = small._load(("en", "ja"))
    tokens = {i: loaded.encode(t) for i, t in enumerate(texts)}
    order = sorted(tokens, key=lambda i: len(tokens[i]))
    batches = small._batches(order, tokens)
    assert len(batches) > 1 and sorted(i for b in batches for i in b) == list(range(40))
    for batch in batches:
        assert len(batch) == 1 or max(len(tokens[i]) for i in batch) * len(batch) <= 40
    assert small.translate_batch(texts, "en", "ja") == large.translate_batch(texts, "en", "ja")


def test_pivot_route_through_english(pivot_dir: Path):
    engine = ArgosEngine(pivot_dir, threads=1)
    assert isinstance(engine, Engine)
    assert engine.route("en", "ja") == [("en", "ja")]
    assert engine.route("ko", "ja") == [("ko", "en"), ("en", "ja")]
    assert engine.route("ja", "ja") == []
    assert engine.can_translate("ko", "ja") and not engine.can_translate("ja", "ko")
    texts = ["이재명 대통령은 서울에서 연설했다.", "", "부산"]
    pivoted = engine.translate_batch(texts, "ko", "ja")
    via_english = engine.translate_batch(engine.translate_batch(texts, "ko", "en"), "en", "ja")
    assert pivoted == via_english
    assert pivoted[1] == "" and pivoted[0] and pivoted[2]
    names = [(p["name"], p["from"], p["to"]) for p in engine.packages("ko", "ja")]
    assert names == [("translate-ko_en", "ko", "en"), ("translate-en_ja", "en", "ja")]
    assert all(
        len(p["sha256"]) == 64 and p["version"] == "0.1" for p in engine.packages("ko", "ja")
    )


def test_target_prefix_package_in_a_pivot(pivot_dir: Path):
    engine = ArgosEngine(pivot_dir, threads=1)
    out = engine.translate_batch(["Seoul", "Nara and Tokyo"], "en", "ko")
    assert all(o and "__ko__" not in o for o in out)


def test_missing_package_names_the_install_command(pivot_dir: Path, tmp_path: Path):
    engine = ArgosEngine(pivot_dir, threads=1)
    with pytest.raises(MissingModelError) as info:
        engine.translate_batch(["x"], "ja", "ko")
    assert "(missing ja→en)" in str(info.value)
    assert str(info.value).endswith("— run `l10n models install ja`")
    empty = ArgosEngine(tmp_path / "none", threads=1)
    with pytest.raises(MissingModelError, match=r"missing ja→en, en→ko.*install ja ko`"):
        empty.translate_batch(["x"], "ja", "ko")
    with pytest.raises(MissingModelError, match="`l10n models install ja`"):
        empty.route("en", "ja")
    with pytest.raises(MissingModelError, match="`l10n models install ja`"):
        empty.packages("ja", "en")
    assert not empty.can_translate("en", "ja")


def test_blank_strings_never_reach_the_model(built: Path, tmp_path: Path):
    _install(built, tmp_path, [("en", "ja")])
    engine = ArgosEngine(tmp_path, threads=1)
    loaded = engine._load(("en", "ja"))
    seen: list[list[str]] = []
    real = loaded.translator

    class Spy:
        def translate_batch(self, source, **options):
            seen.extend(source)
            return real.translate_batch(source, **options)

    loaded.translator = Spy()
    out = engine.translate_batch(["", "  ", "Nara", "\n"], "en", "ja")
    assert out[:2] == ["", "  "] and out[3] == "\n" and out[2]
    assert seen == [loaded.encode("Nara")]
    assert engine.translate_batch([], "en", "ja") == []
    assert ArgosEngine(tmp_path).translate_batch(["same"], "ja", "ja") == ["same"]


def test_engine_flags():
    assert ArgosEngine.name == "argos"
    assert ArgosEngine.is_pseudo is False
    assert ArgosEngine.carries_placeholders is False
