"""``l10n eval``: references in, chrF and BLEU out — the numbers sacrebleu itself gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sacrebleu
from click.testing import CliRunner
from modelkit import build_ct2_model
from sacrebleu.metrics import BLEU, CHRF

from l10n.cli import main
from l10n.evaluation.metrics import comet_available
from l10n.evaluation.refs import ReferenceFileError, read_references
from l10n.mt.engines.ct2store import add_model
from l10n.mt.engines.registry import build_engine

# A toy set written for these tests: sources, references, and one system's hypotheses.
TOY = [
    ("The ferry leaves the harbour at seven.", "The ferry departs from the harbour at seven."),
    ("Two new buses will serve the hill district.", "The hill district gets two new buses."),
    ("The library stays open late on Thursdays.", "On Thursdays the library is open late."),
    ("Rain delayed the opening of the bridge.", "The bridge opening was delayed by rain."),
    ("The council voted to repair the old pier.", "The council voted for repairs to the old pier."),
]
HYPS = [
    "The ferry leaves from the harbour at seven.",
    "Two new buses go to the hill district.",
    "The library is open late on Thursday.",
    "Rain delayed the bridge opening.",
    "The council voted to fix the old pier.",
]
TOY_JA = [
    ("The ferry leaves at seven.", "フェリーは七時に出発する。"),
    ("The library opens late.", "図書館は遅くまで開いている。"),
    ("Rain delayed the bridge.", "雨で橋の開通が遅れた。"),
]
HYPS_JA = ["フェリーは七時に出る。", "図書館は遅く開く。", "雨で橋が遅れた。"]


def _tsv(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(f"{s}\t{r}\n" for s, r in rows), encoding="utf-8")
    return path


def _eval(*args: str) -> tuple[int, str, dict]:
    result = CliRunner().invoke(main, ["eval", *args, "--json-out", "-"])
    output = result.stdout
    start = output.find("{")
    return result.exit_code, result.stderr, json.loads(output[start:]) if start >= 0 else {}


def test_hypothesis_scores_are_sacrebleus_own(tmp_path: Path) -> None:
    refs = _tsv(tmp_path / "refs.tsv", TOY)
    (tmp_path / "hyp.txt").write_text("\n".join(HYPS) + "\n", encoding="utf-8")
    code, _, report = _eval(str(refs), "--pair", "ja-en", "--hyp", str(tmp_path / "hyp.txt"))
    assert code == 0
    [row] = report["pairs"]["ja-en"]
    references = [r for _, r in TOY]
    assert row["chrf"] == round(sacrebleu.corpus_chrf(HYPS, [references]).score, 2)
    assert row["bleu"] == round(sacrebleu.corpus_bleu(HYPS, [references]).score, 2)
    assert row["bleu_tokenizer"] == "13a" and row["segments"] == 5
    assert 0 < row["bleu"] < row["chrf"] < 100
    chrf = CHRF()
    chrf.corpus_score(HYPS, [references])
    assert row["signatures"]["chrf"] == str(chrf.get_signature())


def test_japanese_bleu_uses_sacrebleus_tokenizer_or_says_it_could_not(tmp_path: Path) -> None:
    refs = _tsv(tmp_path / "refs.tsv", TOY_JA)
    (tmp_path / "hyp.txt").write_text("\n".join(HYPS_JA), encoding="utf-8")
    code, _, report = _eval(str(refs), "--pair", "en-ja", "--hyp", str(tmp_path / "hyp.txt"))
    assert code == 0
    [row] = report["pairs"]["en-ja"]
    references = [r for _, r in TOY_JA]
    tokenizer = row["bleu_tokenizer"]
    assert tokenizer in ("ja-mecab", "char")
    if tokenizer == "char":
        assert "sacrebleu[ja]" in row["note"]
    expected = BLEU(tokenize="ja-mecab" if tokenizer != "char" else "char")
    assert row["bleu"] == round(expected.corpus_score(HYPS_JA, [references]).score, 2)
    assert row["chrf"] == round(CHRF().corpus_score(HYPS_JA, [references]).score, 2)
    assert 0 < row["chrf"] < 100


def test_engines_are_scored_on_their_own_output(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "models"
    monkeypatch.setenv("L10N_MODELS_DIR", str(store))
    model = build_ct2_model(tmp_path_factory.mktemp("eval-models"), "quickmt", "en", "ja")
    add_model(model, models_dir=store)
    refs = _tsv(tmp_path / "refs.tsv", TOY_JA)
    code, _, report = _eval(
        str(refs), "--pair", "en-ja", "--engine", "quickmt-en-ja", "--engine", "pseudo"
    )
    assert code == 0
    rows = {r["system"]: r for r in report["pairs"]["en-ja"]}
    engine = build_engine("quickmt-en-ja", {"models_dir": str(store)})
    outputs = engine.translate_batch([s for s, _ in TOY_JA], "en", "ja")
    references = [r for _, r in TOY_JA]
    assert rows["quickmt-en-ja"]["chrf"] == round(
        CHRF().corpus_score(outputs, [references]).score, 2
    )
    assert rows["quickmt-en-ja"]["mean_model_score"] < 0
    assert "mean_model_score" not in rows["pseudo"]
    assert report["engines"]["quickmt-en-ja"]["packages"][0]["family"] == "quickmt"
    assert report["comet"] is comet_available()


def test_an_engine_without_a_model_fails_its_row_and_the_exit_status(tmp_path: Path) -> None:
    refs = _tsv(tmp_path / "refs.tsv", TOY_JA)
    code, _, report = _eval(str(refs), "--pair", "en-ja", "--engine", "argos", "--engine", "pseudo")
    assert code == 1
    rows = {r["system"]: r for r in report["pairs"]["en-ja"]}
    assert "l10n models install ja" in rows["argos"]["error"]
    assert rows["pseudo"]["chrf"] >= 0


def test_tmx_holds_several_pairs(tmp_path: Path) -> None:
    tmx = tmp_path / "refs.tmx"
    units = "".join(
        f'<tu><tuv xml:lang="en"><seg>{s}</seg></tuv><tuv xml:lang="ja"><seg>{r}</seg></tuv>'
        f'<tuv xml:lang="ko"><seg>{r}(ko)</seg></tuv></tu>'
        for s, r in TOY_JA
    )
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en" '
        f'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
        f'creationtoolversion="1"/><body>{units}</body></tmx>',
        encoding="utf-8",
    )
    sets = read_references(tmx)
    assert [s.name for s in sets] == ["en-ja", "en-ko"]
    assert sets[0].references == [r for _, r in TOY_JA]
    assert [s.name for s in read_references(tmx, ("en", "ko"))] == ["en-ko"]


def test_bad_input_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("one\ttwo\nno tab here\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError, match=r"bad\.tsv:2: expected SOURCE<TAB>REFERENCE"):
        read_references(bad, ("en", "ja"))
    with pytest.raises(ReferenceFileError, match="--pair en-ja"):
        read_references(bad)
    refs = _tsv(tmp_path / "refs.tsv", TOY_JA)
    short = tmp_path / "short.txt"
    short.write_text("only one line\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(refs), "--pair", "en-ja", "--hyp", str(short)])
    assert result.exit_code == 1
    assert "1 lines, but the references have 3" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["eval", str(refs), "--pair", "en-ja", "--engine", "nope"])
    assert result.exit_code == 2 and "l10n models list" in result.output
