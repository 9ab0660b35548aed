"""The CTranslate2 families beyond Argos on random-weight models in their published layouts:
detection, the checks ``models add`` makes, the token layout, and clean output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from modelkit import build_ct2_model

from l10n.mt.engines.ct2family import LAYOUTS, CT2FamilyEngine
from l10n.mt.engines.ct2store import ModelStoreError, add_model, detect, list_models, remove_model
from l10n.mt.engines.registry import build_engine, engine_names, family

SENTENCES = ["Sanae Takaichi visited Nara on Monday.", "", "Lee Jae Myung left Seoul."]
LEAKS = ("</s>", "<s>", "<unk>", "<pad>", "▁", "jpn_Jpan", "kor_Hang", "eng_Latn", "__ja__", ">>")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ct2-families")
    return {
        name: build_ct2_model(root, name, "en", "ko" if name == "opus-mt-multi" else "ja")
        for name in ("quickmt", "opus-mt", "opus-mt-multi", "nllb", "m2m100")
    }


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "models"


def test_the_four_families_are_engines() -> None:
    for name in ("quickmt", "opus-mt", "nllb", "m2m100"):
        assert name in engine_names()
        assert family(name).needs_model
    assert "NON-COMMERCIAL" in family("nllb").summary


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("quickmt", "quickmt"),
        ("opus-mt", "opus-mt"),
        ("opus-mt-multi", "opus-mt"),
        ("nllb", "nllb"),
        ("m2m100", "m2m100"),
    ],
)
def test_family_is_detected_from_the_files(
    built: dict[str, Path], name: str, expected: str
) -> None:
    layout, _, _ = detect(built[name])
    assert layout.family == expected


def test_registration_records_pairs_languages_licence_and_checksums(
    built: dict[str, Path], store: Path
) -> None:
    quick = add_model(built["quickmt"], models_dir=store)
    assert (quick.name, quick.pairs, quick.license) == (
        "quickmt-en-ja",
        (("en", "ja"),),
        "CC-BY-4.0",
    )
    assert set(quick.files) >= {"model.bin", "src.spm.model", "tgt.spm.model", "config.json"}
    assert all(len(digest) == 64 for digest in quick.files.values())
    nllb = add_model(built["nllb"], models_dir=store)
    assert nllb.license == "CC-BY-NC-4.0" and nllb.non_commercial
    assert {"en": "eng_Latn", "ja": "jpn_Jpan", "ko": "kor_Hang"}.items() <= nllb.languages.items()
    assert nllb.translates("ko", "ja") and not nllb.translates("ja", "ja")
    m2m = add_model(built["m2m100"], models_dir=store, name="m2m-small", license="MIT")
    assert m2m.languages["ko"] == "__ko__" and not m2m.non_commercial
    stored = {m.name: m for m in list_models(store)}
    assert set(stored) == {"quickmt-en-ja", "nllb-200-distilled-600M", "m2m-small"}
    assert (store / "m2m-small" / "model.bin").is_file()
    assert stored["m2m-small"].sha256 == m2m.sha256
    remove_model("m2m-small", store)
    assert not (store / "m2m-small").exists()
    with pytest.raises(ModelStoreError, match="no registered model named 'm2m-small'"):
        remove_model("m2m-small", store)


def test_a_folder_of_no_family_names_what_each_needs(
    tmp_path: Path, built: dict[str, Path]
) -> None:
    folder = tmp_path / "odd"
    shutil.copytree(built["quickmt"], folder)
    (folder / "src.spm.model").unlink()
    with pytest.raises(ModelStoreError, match=r"quickmt needs src\.spm\.model"):
        detect(folder)
    (folder / "model.bin").unlink()
    with pytest.raises(ModelStoreError, match=r"no model\.bin"):
        detect(folder)


def test_vocabulary_that_does_not_fit_model_bin_is_refused(
    tmp_path: Path, built: dict[str, Path], store: Path
) -> None:
    folder = tmp_path / "nllb-bad"
    shutil.copytree(built["nllb"], folder)
    vocab = json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8"))
    (folder / "shared_vocabulary.json").write_text(json.dumps(vocab[:-1]), encoding="utf-8")
    with pytest.raises(ModelStoreError, match=r"has \d+ tokens but model.bin's embeddings have"):
        add_model(folder, models_dir=store)


def test_config_and_spm_are_checked(tmp_path: Path, built: dict[str, Path], store: Path) -> None:
    folder = tmp_path / "m2m-bad"
    shutil.copytree(built["m2m100"], folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "decoder_start_token": "<s>"}))
    with pytest.raises(ModelStoreError, match="decoder_start_token"):
        add_model(folder, models_dir=store)
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "sentencepiece.bpe.model").write_bytes(b"not a model")
    with pytest.raises(ModelStoreError, match="not a sentencepiece model"):
        add_model(folder, models_dir=store)


def test_pairs_names_and_false_friends(tmp_path: Path, built: dict[str, Path], store: Path) -> None:
    jap = tmp_path / "opus-mt-en-jap"
    shutil.copytree(built["opus-mt"], jap)
    with pytest.raises(ModelStoreError, match="not 'ja'"):
        add_model(jap, models_dir=store)
    assert add_model(jap, models_dir=store, pair="en-ja", name="opus-ja").pairs == (("en", "ja"),)
    unnamed = tmp_path / "some-model"
    shutil.copytree(built["quickmt"], unnamed)
    with pytest.raises(ModelStoreError, match="--pair en-ja"):
        add_model(unnamed, models_dir=store)
    with pytest.raises(ModelStoreError, match="not an engine family's name"):
        add_model(built["quickmt"], models_dir=store, name="argos")
    with pytest.raises(ModelStoreError, match="no language token for de"):
        add_model(built["nllb"], models_dir=store, pair="en-de")


def _engine(store: Path, name: str) -> CT2FamilyEngine:
    engine = build_engine(name, {"models_dir": str(store), "beam_size": 2})
    assert isinstance(engine, CT2FamilyEngine)
    return engine


def test_token_layout_per_family(built: dict[str, Path]) -> None:
    nllb = LAYOUTS["nllb"]
    codec = nllb.codec(
        built["nllb"],
        nllb.languages(json.loads((built["nllb"] / "shared_vocabulary.json").read_text())),
    )
    tokens = codec.source_tokens("Lee Jae Myung left Seoul.", "ko", "ja")
    assert tokens[0] == "kor_Hang" and tokens[-1] == "</s>" and len(tokens) > 3
    assert codec.target_prefix("ja") == ["jpn_Jpan"]
    assert codec.detokenize(["jpn_Jpan", "▁Se", "oul", "</s>"]) == "Seoul"

    m2m = LAYOUTS["m2m100"]
    vocab = json.loads((built["m2m100"] / "shared_vocabulary.json").read_text())
    codec = m2m.codec(built["m2m100"], m2m.languages(vocab))
    tokens = codec.source_tokens("Seoul", "en", "ko")
    assert tokens[0] == "__en__" and tokens[-1] == "</s>"
    assert codec.target_prefix("ko") == ["__ko__"]

    opus = LAYOUTS["opus-mt"]
    plain = opus.codec(built["opus-mt"], {})
    tokens = plain.source_tokens("Seoul", "en", "ja")
    assert tokens[-1] == "</s>" and not tokens[0].startswith(">>")
    assert plain.target_prefix("ja") == []
    multi = opus.codec(built["opus-mt-multi"], {})
    tokens = multi.source_tokens("Seoul", "en", "ko")
    assert tokens[0] == ">>kor<<" and tokens[-1] == "</s>"
    assert multi.detokenize([">>kor<<", "▁Se", "oul"]) == "Seoul"

    quick = LAYOUTS["quickmt"].codec(built["quickmt"], {})
    tokens = quick.source_tokens("Seoul", "en", "ja")
    assert "</s>" not in tokens and "".join(tokens).replace("▁", "") == "Seoul"


@pytest.mark.parametrize(
    ("name", "pair", "route"),
    [
        ("quickmt", None, ("en", "ja")),
        ("opus-mt", None, ("en", "ja")),
        ("opus-mt-multi", "en-ko", ("en", "ko")),
        ("nllb", None, ("ko", "ja")),
        ("m2m100", None, ("en", "ko")),
    ],
)
def test_each_family_translates_cleanly_with_scores(
    built: dict[str, Path], store: Path, name: str, pair: str | None, route: tuple[str, str]
) -> None:
    record = add_model(built[name], models_dir=store, pair=pair)
    engine = _engine(store, record.family)
    assert engine.can_translate(*route)
    scored = engine.translate_scored(SENTENCES, *route)
    assert scored[1] == ("", None)
    for text, score in (scored[0], scored[2]):
        assert text.strip() and text == text.strip()
        assert not any(leak in text for leak in LEAKS), text
        assert score is not None and score < 0
    assert engine.translate_batch(SENTENCES, *route) == [t for t, _ in scored]
    [info] = engine.models(*route)
    assert (info.name, info.family, info.sha256) == (record.name, record.family, record.sha256)
    # The same model by its own name is an engine too, limited to that model.
    by_name = _engine(store, record.name)
    assert by_name.name == record.name and by_name.can_translate(*route)


def test_a_pair_without_a_model_names_the_fix(built: dict[str, Path], store: Path) -> None:
    add_model(built["quickmt"], models_dir=store)
    engine = _engine(store, "quickmt")
    assert not engine.can_translate("en", "ko")
    assert "l10n models add DIR --pair en-ko" in engine.missing_reason([("en", "ko")])
    named = _engine(store, "quickmt-en-ja")
    assert "--route en-ko=argos" in named.missing_reason([("en", "ko")])


ARTICLE = """Harbour towns agree on a shared ferry timetable

The mayors of two harbour towns signed a timetable for a shared ferry on Tuesday.

The first boats will leave at dawn, and the council expects two hundred riders a day.
"""


def _run(tmp_path: Path, engine: str, routes: list[str], name: str = "out"):
    from l10n.pipeline import RunOptions, translate_run

    article = tmp_path / "ferry.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / name
    options = RunOptions(
        inputs=[str(article)],
        engine=engine,
        routes=routes,
        out=str(out),
        memory=str(tmp_path / "tm.sqlite"),
        beam=2,
    )
    summary = translate_run(options)
    (run_dir,) = [p for p in out.iterdir() if p.is_dir()]
    return summary, run_dir


def test_routes_record_the_model_per_target_and_in_the_memory(
    built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "models"
    monkeypatch.setenv("L10N_MODELS_DIR", str(store))
    add_model(built["quickmt"], models_dir=store)
    add_model(built["nllb"], models_dir=store, name="nllb-small")
    summary, run_dir = _run(tmp_path, "quickmt", ["en-ko=nllb"])
    assert summary.totals()["articles"] == 1
    run_json = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    names = {e["name"]: e for e in run_json["engines"]}
    assert {"quickmt-en-ja", "nllb-small"} <= set(names)
    [package] = names["nllb-small"]["packages"]
    assert (package["from"], package["to"], package["family"]) == ("en", "ko", "nllb")
    assert package["license"] == "CC-BY-NC-4.0"
    manifest = json.loads((run_dir / "ferry" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["targets"]["ja"]["engine"] == "quickmt-en-ja"
    assert manifest["targets"]["ko"]["engine"] == "nllb-small"
    rows = [json.loads(line) for line in (run_dir / "ferry" / "segments.jsonl").open()]
    for row in rows:
        for lang in ("ja", "ko"):
            mt = row["targets"][lang]["mt"]
            assert mt and not any(leak in mt for leak in LEAKS), mt
    assert "nllb-small" in (run_dir / "report.html").read_text(encoding="utf-8")
    xliff = (run_dir / "ferry" / "ko.xlf").read_text(encoding="utf-8")
    assert "machine translation: nllb-small" in xliff

    # The memory is keyed by the model: the same routes come from it, another model does not.
    again, _ = _run(tmp_path, "quickmt", ["en-ko=nllb"], "again")
    assert again.translation["segments_from_memory"] == len(rows) * 2
    assert again.translation["segments_sent_to_engine"] == 0
    other, _ = _run(tmp_path, "nllb-small", [], "other")
    assert other.translation["segments_from_memory"] == len(rows)  # ko only
    assert other.translation["segments_sent_to_engine"] == len(rows)


def test_a_pair_without_a_model_fails_only_its_articles(
    built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "models"
    monkeypatch.setenv("L10N_MODELS_DIR", str(store))
    add_model(built["quickmt"], models_dir=store)
    korean = tmp_path / "seoul.txt"
    korean.write_text("항구 도시들이 여객선 시간표에 합의했다\n\n두 시장이 화요일에 서명했다.\n")
    from l10n.pipeline import RunOptions, translate_run

    article = tmp_path / "ferry.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    summary = translate_run(
        RunOptions(
            inputs=[str(article), str(korean)],
            targets=["ja"],
            engine="quickmt",
            out=str(tmp_path / "out"),
            memory=str(tmp_path / "tm.sqlite"),
            beam=2,
        )
    )
    status = {o.id: (o.status, o.reason) for o in summary.outcomes}
    assert status["ferry"][0] == "done"
    assert status["seoul"][0] == "failed"
    assert "no quickmt model for ko→ja" in str(status["seoul"][1])
    assert "l10n models add DIR --pair ko-ja" in str(status["seoul"][1])


def test_unknown_engine_names_point_at_models_list() -> None:
    from l10n.errors import UsageError
    from l10n.mt.engines.routes import Routes

    with pytest.raises(UsageError, match="l10n models list"):
        Routes.parse("argos", ["en-ko=no-such-model"])


def _long_article(tmp_path: Path) -> Path:
    places = ["the harbour", "the old mill", "the station", "the library", "the market"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday"]
    lines = ["Ferry timetable changes across the bay", ""]
    for i in range(14):
        place, day = places[i % len(places)], days[i % len(days)]
        lines += [f"Boat {i + 1} will stop near {place} on {day} with {10 + i} seats.", ""]
    path = tmp_path / "timetable.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _segments(run_dir: Path, article: str) -> list[dict]:
    path = run_dir / article / "segments.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def test_decile_cutoff() -> None:
    from l10n.mt.confidence import decile_cutoff

    assert decile_cutoff([-1.0] * 9) is None
    scores = [-float(i) for i in range(20)]  # -19 … 0: the bottom tenth is -19 and -18
    assert decile_cutoff(scores) == -18.0
    assert decile_cutoff([*scores, -0.5]) == -17.0  # 21 scores: the bottom 3


def test_scores_reach_segments_memory_and_low_confidence_flags(
    built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l10n.pipeline import RunOptions, translate_run

    store = tmp_path / "models"
    monkeypatch.setenv("L10N_MODELS_DIR", str(store))
    add_model(built["m2m100"], models_dir=store, name="m2m")
    article = _long_article(tmp_path)

    def run(name: str, engine: str = "m2m") -> Path:
        out = tmp_path / name
        translate_run(
            RunOptions(
                inputs=[str(article)],
                targets=["ja"],
                engine=engine,
                out=str(out),
                memory=str(tmp_path / "tm.sqlite"),
                beam=2,
            )
        )
        (run_dir,) = [p for p in out.iterdir() if p.is_dir()]
        return run_dir

    rows = _segments(run("first"), "timetable")
    scores = [row["targets"]["ja"]["score"] for row in rows]
    assert len(scores) >= 10 and all(isinstance(s, float) and s < 0 for s in scores)
    flagged = [
        row["targets"]["ja"]["score"]
        for row in rows
        if any(f["code"] == "low-confidence" for f in row["targets"]["ja"]["flags"])
    ]
    cutoff = sorted(scores)[-(-len(scores) // 10) - 1]
    assert flagged and sorted(flagged) == sorted(s for s in scores if s <= cutoff)

    # From the memory: the same MT with the same scores, and the same flags.
    again = _segments(run("again"), "timetable")
    assert [r["targets"]["ja"]["score"] for r in again] == scores
    assert [r["targets"]["ja"]["flags"] for r in again] == [
        r["targets"]["ja"]["flags"] for r in rows
    ]

    # A model threshold above every score flags every segment.
    remove_model("m2m", store)
    add_model(built["m2m100"], models_dir=store, name="m2m", threshold=0.0)
    strict = _segments(run("strict"), "timetable")
    assert all(
        any("below the model's threshold 0" in f["message"] for f in r["targets"]["ja"]["flags"])
        for r in strict
    )

    # Engines without scores write none and flag none.
    pseudo = _segments(run("pseudo", "pseudo"), "timetable")
    assert all("score" not in r["targets"]["ja"] for r in pseudo)
    assert not any(
        f["code"] == "low-confidence" for r in pseudo for f in r["targets"]["ja"]["flags"]
    )


def test_every_ct2_family_shares_one_base_for_its_settings(tmp_path: Path) -> None:
    """Argos and the registered-model families take, report and rebuild the runner's
    settings the same way: only the folder setting differs."""
    from l10n.mt.engines.ct2engine import RUNNER_SETTINGS, CT2Engine

    asked = {
        "beam_size": 2,
        "max_batch_tokens": 512,
        "threads": 1,
        "inter_threads": 1,
        "max_length_ratio": 2.0,
        "packages_dir": str(tmp_path / "argos"),
        "models_dir": str(tmp_path / "models"),
        "not_a_setting": "ignored",
    }
    engines = {name: build_engine(name, asked) for name in ("argos", "quickmt", "nllb")}
    for name, engine in engines.items():
        assert isinstance(engine, CT2Engine), name
        assert set(engine.settings) == {*RUNNER_SETTINGS, engine.folder_setting}
        assert engine.settings[engine.folder_setting] == asked[engine.folder_setting]
        assert engine.options["beam_size"] == 2 and engine.options["compute_type"] == "int8"
        assert engine.settings["max_batch_tokens"] == 512
        assert build_engine(name, engine.settings).settings == engine.settings
        assert not engine.is_pseudo and engine.needs_model and not engine.carries_placeholders
    assert engines["argos"].folder_setting == "packages_dir"
    assert engines["quickmt"].options == engines["argos"].options
