"""ArgosEngine on real (tiny, random-weight) packages of every layout published packages use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from modelkit import VARIANTS, build_test_package

from l10n.mt.engines.argos import ArgosEngine
from l10n.mt.engines.argos import packages as ap
from l10n.mt.engines.base import Engine, MissingModelError
from l10n.mt.engines.ct2 import COMPUTE_TYPES, EngineSettingsError, split_threads

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
    batches = small.runner.batches(order, tokens)
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
    names = [(p.name, p.source, p.target) for p in engine.models("ko", "ja")]
    assert names == [("translate-ko_en", "ko", "en"), ("translate-en_ja", "en", "ja")]
    assert all(
        p.sha256 and len(p.sha256) == 64 and p.version == "0.1" for p in engine.models("ko", "ja")
    )


@pytest.mark.parametrize("variant", ["plain", "target_prefix"])
def test_scores_leave_the_text_as_it_was_and_are_the_mean_token_log_probability(
    variant: str, built: Path, tmp_path: Path
):
    _install(built, tmp_path, [("en", "ja")], variant=variant)
    engine = ArgosEngine(tmp_path, threads=1)
    loaded = engine._load(("en", "ja"))
    prefix = [loaded.info.target_prefix] if loaded.info.target_prefix else []
    assert bool(prefix) == (variant == "target_prefix")
    texts = [t for t in SENTENCES if t.strip()]
    scored = [engine.translate_scored([t], "en", "ja")[0] for t in texts]
    # One text a call: an output cut at the length cap may depend on its batch neighbours.
    assert [text for text, _ in scored] == [
        engine.translate_batch([t], "en", "ja")[0] for t in texts
    ]
    checked = 0
    for text, (output, score) in zip(texts, scored, strict=True):
        source = loaded.encode(text)
        cap = engine.runner.length_cap(len(source))
        # The same decoding without asking for scores: the text must not depend on them.
        plain = loaded.translator.translate_batch(
            [source],
            target_prefix=[prefix] if prefix else None,
            beam_size=engine.runner.beam_size,
            max_decoding_length=cap + len(prefix),
            min_decoding_length=len(prefix) + 1,
            length_penalty=0.2,
            replace_unknowns=True,
        )[0].hypotheses[0]
        assert output == loaded.decode(plain[len(prefix) :][:cap])
        assert score is not None and score < 0
        if len(plain) < cap + len(prefix):  # it ended by itself: its end token was scored
            forced = loaded.translator.score_batch([source], [plain])[0].log_probs
            chosen = forced[len(prefix) :]  # a forced prefix is not the model's choice
            assert score == pytest.approx(sum(chosen) / len(chosen), abs=1e-3)
            checked += 1
    assert checked >= 3


def test_a_pivoted_segment_scores_the_sum_of_its_legs(pivot_dir: Path):
    engine = ArgosEngine(pivot_dir, threads=1)
    texts = ["이재명 대통령은 서울에서 연설했다.", "", "부산"]
    pivoted = engine.translate_scored(texts, "ko", "ja")
    first = engine.translate_scored(texts, "ko", "en")
    second = engine.translate_scored([t for t, _ in first], "en", "ja")
    assert (
        [t for t, _ in pivoted]
        == [t for t, _ in second]
        == engine.translate_batch(texts, "ko", "ja")
    )
    assert pivoted[1] == ("", None)
    for (_, total), (_, a), (_, b) in zip(pivoted, first, second, strict=True):
        if a is None:
            continue
        assert b is not None and total == pytest.approx(a + b)
        assert total < min(a, b)  # never more confident than either leg


def test_target_prefix_package_in_a_pivot(pivot_dir: Path):
    engine = ArgosEngine(pivot_dir, threads=1)
    out = engine.translate_batch(["Seoul", "Nara and Tokyo"], "en", "ko")
    assert all(o and "__ko__" not in o for o in out)


def test_missing_package_names_the_install_command(pivot_dir: Path, tmp_path: Path):
    engine = ArgosEngine(pivot_dir, threads=1)
    with pytest.raises(MissingModelError) as info:
        engine.translate_batch(["x"], "ja", "ko")
    assert "(missing ja→en)" in str(info.value)
    message = str(info.value)
    assert "— run `l10n models install ja` (offline:" in message
    assert "`l10n models install --file translate-ja_en-1_1.argosmodel`" in message
    assert message.endswith("(pseudo where no model is installed) or `--engine pseudo`")
    empty = ArgosEngine(tmp_path / "none", threads=1)
    with pytest.raises(MissingModelError, match=r"missing ja→en, en→ko.*install ja ko`"):
        empty.translate_batch(["x"], "ja", "ko")
    with pytest.raises(MissingModelError, match="`l10n models install ja`"):
        empty.route("en", "ja")
    with pytest.raises(MissingModelError, match="`l10n models install ja`"):
        empty.models("ja", "en")
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


# ------------------------------------------------------------ settings: beam, compute type, device


@pytest.fixture
def en_ja(built: Path, tmp_path: Path) -> Path:
    _install(built, tmp_path, [("en", "ja")])
    return tmp_path


def test_settings_reach_ctranslate2(en_ja: Path, monkeypatch: pytest.MonkeyPatch):
    import ctranslate2

    made: list[dict] = []
    real = ctranslate2.Translator

    def recording(model_path, **kwargs):
        made.append(kwargs)
        return real(model_path, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", recording)
    engine = ArgosEngine(
        en_ja, beam_size=3, compute_type="int8_float32", threads=2, inter_threads=2
    )
    loaded = engine._load(("en", "ja"))
    assert made == [
        {"device": "cpu", "compute_type": "int8_float32", "inter_threads": 2, "intra_threads": 1}
    ]
    assert loaded.translator.compute_type == "int8_float32"
    assert loaded.translator.device == "cpu" and loaded.translator.num_translators == 2

    beams: list[int] = []
    translator = loaded.translator

    class Spy:
        def translate_batch(self, source, **options):
            beams.append(options["beam_size"])
            return translator.translate_batch(source, **options)

    loaded.translator = Spy()
    assert engine.translate_batch(["Nara", "Tokyo"], "en", "ja")[0]
    assert beams and set(beams) == {3}


def test_defaults_are_argostranslates_beam_and_int8_on_cpu(en_ja: Path):
    engine = ArgosEngine(en_ja)
    assert engine.runner.beam_size == 4
    assert engine.options["compute_type"] == "int8" and engine.options["device"] == "cpu"
    # ctranslate2 names int8 weights with float32 activations int8_float32 on CPU
    assert engine._load(("en", "ja")).translator.compute_type in ("int8", "int8_float32")


def test_translators_are_shared_only_between_equal_run_settings(en_ja: Path):
    def translator(**settings):
        return ArgosEngine(en_ja, **settings)._load(("en", "ja")).translator

    first = translator(compute_type="int8", threads=1)
    assert translator(compute_type="int8", threads=1, beam_size=2) is first
    assert translator(compute_type="float32", threads=1) is not first
    assert translator(compute_type="int8", threads=2, inter_threads=1) is not first


def test_unknown_or_unsupported_compute_type_is_refused_clearly(tmp_path: Path):
    import ctranslate2

    with pytest.raises(EngineSettingsError, match=r"unknown compute type 'int4': choose one of"):
        ArgosEngine(tmp_path, compute_type="int4")
    supported = ctranslate2.get_supported_compute_types("cpu")
    unsupported = [t for t in COMPUTE_TYPES if t not in supported and t not in ("auto", "default")]
    if not unsupported:
        pytest.skip("this CPU supports every compute type")
    with pytest.raises(EngineSettingsError, match="not supported on cpu here"):
        ArgosEngine(tmp_path, compute_type=unsupported[0])


def test_bad_numbers_are_refused(tmp_path: Path):
    for settings in ({"beam_size": 0}, {"max_batch_tokens": 0}, {"threads": -1}):
        with pytest.raises(EngineSettingsError):
            ArgosEngine(tmp_path, **settings)
    with pytest.raises(EngineSettingsError, match="unknown device 'tpu'"):
        ArgosEngine(tmp_path, device="tpu")


def test_device_cuda_without_a_gpu_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    with pytest.raises(EngineSettingsError) as info:
        ArgosEngine(tmp_path, device="cuda")
    message = str(info.value)
    assert "no CUDA device" in message and "CUDA 12's cuBLAS" in message
    assert "--device cpu" in message
    auto = ArgosEngine(tmp_path, device="auto")
    assert auto.options["device"] == "cpu" and auto.options["compute_type"] == "int8"


def test_device_cuda_reaches_ctranslate2(en_ja: Path, monkeypatch: pytest.MonkeyPatch):
    """With a GPU reported, the settings go to ctranslate2; a missing cuBLAS reads clearly."""
    import ctranslate2

    made: list[dict] = []
    on_cpu = ArgosEngine(en_ja)

    def no_cublas(model_path, **kwargs):
        made.append(kwargs)
        raise RuntimeError("Library libcublas.so.12 is not found or cannot be loaded")

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(
        ctranslate2, "get_supported_compute_types", lambda device: {"float16", "int8_float16"}
    )
    monkeypatch.setattr(ctranslate2, "Translator", no_cublas)
    engine = ArgosEngine(en_ja, device="auto")
    assert engine.options["device"] == "cuda"
    assert engine.options["compute_type"] == "int8_float16"
    assert engine.chunk_segments == 512 and on_cpu.chunk_segments == 64
    with pytest.raises(EngineSettingsError, match=r"on cuda .*libcublas.*CUDA 12's cuBLAS"):
        engine.translate_batch(["Nara"], "en", "ja")
    assert made == [
        {"device": "cuda", "compute_type": "int8_float16", "inter_threads": 1, "intra_threads": 1}
    ]


def test_options_hold_what_changes_output_and_nothing_else(tmp_path: Path):
    base = ArgosEngine(tmp_path)
    assert set(base.options) == {
        "beam_size",
        "compute_type",
        "device",
        "length_penalty",
        "max_length_ratio",
        "max_tokens",
    }
    for change in (
        {"beam_size": 2},
        {"compute_type": "float32"},
        {"max_length_ratio": 2.0},
    ):
        assert ArgosEngine(tmp_path, **change).options != base.options, change
    for same in ({"threads": 1}, {"inter_threads": 1, "threads": 2}, {"max_batch_tokens": 64}):
        assert ArgosEngine(tmp_path, **same).options == base.options, same


def test_translation_memory_keys_follow_the_settings(en_ja: Path):
    from l10n.mt.engines.base import engine_identity
    from l10n.mt.memory import translation_key

    def key(**settings):
        engine = ArgosEngine(en_ja, **settings)
        return translation_key(
            "Nara", "en", "ja", engine_identity(engine, [("en", "ja")]).to_json()
        )

    assert key() == key(threads=1, max_batch_tokens=128)
    assert len({key(), key(beam_size=2), key(compute_type="float32")}) == 3


def test_spec_round_trips_every_setting(tmp_path: Path):
    import pickle

    import ctranslate2

    from l10n.mt.engines.registry import EngineSpec, engine_from_spec, spec_of

    # A compute type other than the default that this machine's ctranslate2 supports.
    other = sorted(set(ctranslate2.get_supported_compute_types("cpu")) - {"int8"})[0]
    engine = ArgosEngine(
        tmp_path,
        beam_size=2,
        compute_type=other,
        max_batch_tokens=512,
        max_length_ratio=1.5,
        threads=3,
        inter_threads=3,
    )
    spec = spec_of(engine)
    assert pickle.loads(pickle.dumps(spec)) == spec
    rebuilt = engine_from_spec(spec)
    assert isinstance(rebuilt, ArgosEngine) and rebuilt is not engine
    assert rebuilt.packages_dir == engine.packages_dir
    assert rebuilt.runner.compute_type == other
    for setting in (
        "beam_size",
        "compute_type",
        "device",
        "max_batch_tokens",
        "max_length_ratio",
        "threads",
        "inter_threads",
    ):
        assert getattr(rebuilt.runner, setting) == getattr(engine.runner, setting), setting
    assert rebuilt.options == engine.options
    assert spec_of(rebuilt) == spec
    assert engine_from_spec(spec) is rebuilt  # one engine per spec and process
    assert spec_of(engine_from_spec(EngineSpec("pseudo"))) == EngineSpec("pseudo")


def test_engine_families_are_registered_and_offered():
    from l10n.mt.engines.registry import UnknownEngineError, build_engine, engine_names

    # provided is chosen per article
    families = ("argos", "pseudo", "quickmt", "opus-mt", "nllb", "m2m100", "auto")
    assert engine_names() == families
    with pytest.raises(UnknownEngineError, match="choose one of argos, pseudo, quickmt"):
        build_engine("nope")


def test_threads_split_into_parallel_batches(monkeypatch: pytest.MonkeyPatch):
    from l10n.mt.engines import ct2

    monkeypatch.setattr(ct2, "available_cores", lambda: 6)
    assert split_threads(4, 2) == (2, 2)
    assert split_threads(3, 8) == (3, 1)  # no more batches than threads
    assert split_threads(0, 3) == (3, 2)  # 0: every core this process may use, not ctranslate2's 4
    monkeypatch.setattr(ct2, "MAX_INTRA_THREADS", 4)
    assert split_threads(16) == (4, 4)
    assert split_threads(2) == (1, 2)
    assert split_threads(0) == (2, 3)
    monkeypatch.setattr(ct2, "MAX_INTRA_THREADS", 1)
    assert split_threads(0) == (6, 1)


def test_a_small_call_is_spread_over_the_parallel_batches(en_ja: Path):
    from l10n.mt.engines.ct2 import MIN_SPREAD_TOKENS

    texts = [SENTENCES[i % len(SENTENCES)] + f" {i}" for i in range(48)]
    engine = ArgosEngine(en_ja, beam_size=1, threads=4, inter_threads=4, max_batch_tokens=100_000)
    loaded = engine._load(("en", "ja"))
    tokens = {i: loaded.encode(t) for i, t in enumerate(texts) if t.strip()}
    order = sorted(tokens, key=lambda i: len(tokens[i]))
    budget = engine.runner.budget(order, tokens)
    padded = sum(len(t) for t in tokens.values())
    assert budget == max(MIN_SPREAD_TOKENS, -(-padded // 4)) < 100_000
    assert len(engine.runner.batches(order, tokens, budget)) >= min(4, padded // MIN_SPREAD_TOKENS)
    single = ArgosEngine(en_ja, beam_size=1, threads=1, max_batch_tokens=100_000)
    assert single.runner.budget(order, tokens) == 100_000
    # greedy decoding: how a call is cut does not change what comes back
    assert engine.translate_batch(texts, "en", "ja") == single.translate_batch(texts, "en", "ja")


def test_run_settings_reach_the_engine_and_the_manifest(en_ja: Path, tmp_path: Path):
    from l10n.mt.engines.base import engine_identity
    from l10n.mt.engines.routes import Routes, RunEngines

    engines = RunEngines(
        Routes("argos"),
        {"packages_dir": en_ja, "beam_size": 2, "compute_type": "float32", "device": "cpu"},
    )
    engine = engines.for_pair("en", "ja")
    runner = engine.runner
    assert (runner.beam_size, runner.compute_type, runner.device) == (2, "float32", "cpu")
    options = engine_identity(engine, [("en", "ja")]).options
    assert options["beam_size"] == 2 and options["compute_type"] == "float32"


def test_device_cuda_without_a_gpu_stops_the_cli_run_with_one_message(tmp_path: Path):
    import subprocess
    import sys

    story = tmp_path / "story.txt"
    story.write_text("Leaders meet\n\nSanae Takaichi met Lee Jae Myung in Nara.", "utf-8")
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("l10n")),
            "translate",
            str(story),
            "--device",
            "cuda",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "CUDA" in done.stderr and "--device cpu" in done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------ per-package threshold


def test_a_package_threshold_flags_segments_and_sums_through_the_pivot(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from l10n.mt.engines.ct2store import ModelStoreError, set_threshold
    from l10n.pipeline import RunOptions, translate_run

    packages = tmp_path / "packages"
    _install(built, packages, [("en", "ja"), ("ko", "en")])
    assert ArgosEngine(packages).threshold("en", "ja") is None
    set_threshold("translate-en_ja", -1.5, tmp_path / "models", packages)
    set_threshold("translate-ko_en", -2.0, tmp_path / "models", packages)
    (record,) = [p for p in ap.installed_packages(packages) if p.name == "translate-en_ja"]
    assert record.threshold == -1.5 and record.sha256  # the install record keeps its sha256
    engine = ArgosEngine(packages)
    assert engine.threshold("en", "ja") == -1.5
    assert engine.threshold("ko", "ja") == -3.5  # ko→en→ja: the legs' scores add up
    set_threshold("translate-ko_en", None, tmp_path / "models", packages)
    assert ArgosEngine(packages).threshold("ko", "ja") is None  # one leg has none
    with pytest.raises(ModelStoreError, match="translate-en_ja"):
        set_threshold("translate-en_xx", -1.0, tmp_path / "models", packages)

    # In a run, a threshold above every score flags every translated segment.
    set_threshold("translate-en_ja", 0.0, tmp_path / "models", packages)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    article = tmp_path / "harbour.txt"
    article.write_text(
        "Ferry times change\n\nBoat 1 stops at the mill on Monday.\n\n"
        "Boat 2 stops at the market on Tuesday.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    translate_run(RunOptions(inputs=[str(article)], targets=["ja"], engine="argos", out=str(out)))
    (run_dir,) = [p for p in out.iterdir() if p.is_dir()]
    rows = [json.loads(line) for line in (run_dir / "harbour" / "segments.jsonl").open()]
    assert len(rows) == 3
    for row in rows:
        messages = [f["message"] for f in row["targets"]["ja"]["flags"]]
        assert any("below the model's threshold 0" in m for m in messages), messages
