"""Build real, tiny Argos Translate packages for tests and benchmarks.

The official packages cannot be fetched in the test environment and weigh 120 MB each, yet
the engine and the installer must meet the real format. So this module trains a genuine
tokenizer on project-like text and writes a genuine CTranslate2 Transformer with random
weights: argostranslate and ctranslate2 load and run it exactly like a published package.
Its output is meaningless but produced by the model, never faked.

Usage::

    from modelkit import build_test_package  # tests/ is on sys.path under pytest
    archive = build_test_package(tmp_dir, "en", "ja", variant="target_prefix")
    # -> tmp_dir/target_prefix/translate-en_ja-0_1.argosmodel (reused if already built)

Variants mirror what published packages contain:

``plain``         SentencePiece tokenizer, ``model/shared_vocabulary.json`` (current format)
``target_prefix`` multilingual style: metadata ``target_prefix`` ("__ja__") the decoder starts with
``stanza_dir``    a packaged ``stanza/`` sentence-splitter folder (placeholder files)
``bpe``           Moses + subword-nmt BPE (``bpe.model``), separate source/target vocabularies
``txt_vocab``     the older ``model/shared_vocabulary.txt`` vocabulary file
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

VARIANTS = ("plain", "target_prefix", "stanza_dir", "bpe", "txt_vocab")
BUILDER_REVISION = 2
REPO_ROOT = Path(__file__).resolve().parent.parent
_LANG_NAMES = {"en": "English", "ja": "Japanese", "ko": "Korean"}
_PREFIXES = ("__en__", "__ja__", "__ko__")
_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)

SP_VOCAB = 600


@dataclass(frozen=True)
class ModelSize:
    """Transformer dimensions; ``vocab`` pads the vocabularies to that many entries."""

    layers: tuple[int, int]
    heads: int
    d_model: int
    ffn: int
    vocab: int = 0
    quantization: str | None = None
    length_clock: bool = False


SIZES = {
    # Big enough to exercise every layer type, small enough to build in a second.
    "tiny": ModelSize((1, 1), 2, 64, 128),
    # The shape of the published Argos packages (Transformer base, 32k vocabulary, int8),
    # for benchmarks that need a realistic cost per token; weights are still random. Its
    # length clock makes outputs end at news-sentence length (see _end_by_position).
    "base": ModelSize((6, 6), 8, 512, 2048, vocab=32000, quantization="int8", length_clock=True),
}
BPE_MERGES = 400


# ---------------------------------------------------------------- corpus


def generated_sentences() -> list[str]:
    """News-like sentences in English, Japanese and Korean with the glossary's names."""
    en_people = ["Sanae Takaichi", "Lee Jae Myung", "the prime minister", "the president"]
    en_places = ["Nara", "Tokyo", "Seoul", "Osaka", "Busan"]
    en_verbs = ["visited", "spoke in", "met officials in", "left", "returned to"]
    en_tails = [
        "on Monday.",
        "after the summit.",
        "to discuss trade and security.",
        "with 120 delegates.",
        "for the first time since 2019.",
    ]
    ja_people = ["高市早苗首相", "李在明大統領", "首相", "大統領"]
    ja_places = ["奈良", "東京", "ソウル", "大阪", "釜山"]
    ja_tails = [
        "を訪問した。",
        "で演説した。",
        "で関係者と会談した。",
        "を出発した。",
        "に戻った。",
    ]
    ko_people = ["다카이치 사나에 총리", "이재명 대통령", "총리", "대통령"]
    ko_places = ["나라", "도쿄", "서울", "오사카", "부산"]
    ko_tails = [
        "를 방문했다.",
        "에서 연설했다.",
        "에서 관계자들과 만났다.",
        "를 떠났다.",
        "로 돌아왔다.",
    ]
    lines = []
    for i, person in enumerate(en_people):
        for j, place in enumerate(en_places):
            for k, tail in enumerate(en_tails):
                verb = en_verbs[(i + j + k) % len(en_verbs)]
                lines.append(f"{person[0].upper()}{person[1:]} {verb} {place} {tail}")
    for people, places, tails, sep in (
        (ja_people, ja_places, ja_tails, "は"),
        (ko_people, ko_places, ko_tails, "은 "),
    ):
        for person in people:
            for place in places:
                for tail in tails:
                    lines.append(f"{person}{sep}{place}{tail}")
    return lines


def project_text(root: Path = REPO_ROOT, limit: int = 2000) -> list[str]:
    """Lines from the glossaries and example articles, so real names are in the vocabulary."""
    lines: list[str] = []
    for folder in ("glossaries", "examples"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix not in {".yaml", ".yml", ".txt", ".md", ".jsonl", ".html"}:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for line in text.splitlines():
                line = line.strip()
                if line:
                    lines.append(line[:400])
                if len(lines) >= limit:
                    return lines
    return lines


def training_corpus(extra: Iterable[str] = ()) -> list[str]:
    return generated_sentences() + project_text() + list(extra)


# ---------------------------------------------------------------- tokenizers


def train_sentencepiece(corpus: list[str], model_path: Path, *, prefixes: bool) -> list[str]:
    """Train a SentencePiece model at ``model_path``; returns its pieces in id order."""
    import sentencepiece as spm

    symbols = list(_PREFIXES) if prefixes else []
    symbols += ["⟦", "⟧"]  # placeholder brackets stay whole pieces
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        vocab_size=SP_VOCAB,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        user_defined_symbols=symbols,
        num_threads=1,
        minloglevel=2,
    )
    model_path.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _moses_words(corpus: list[str], lang: str) -> list[list[str]]:
    from sacremoses import MosesPunctNormalizer, MosesTokenizer

    tokenizer = MosesTokenizer(lang)
    normalizer = MosesPunctNormalizer(lang)
    return [tokenizer.tokenize(normalizer.normalize(line)) for line in corpus]


def learn_bpe(words: Iterable[str], merges: int) -> list[tuple[str, str]]:
    """Learn subword-nmt (format 0.2) merge operations from a word list."""
    counts = Counter(words)
    vocab = {(*w[:-1], w[-1] + "</w>"): n for w, n in counts.items() if w}
    operations: list[tuple[str, str]] = []
    for _ in range(merges):
        pairs: Counter[tuple[str, str]] = Counter()
        for symbols, n in vocab.items():
            for pair in pairwise(symbols):
                pairs[pair] += n
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        if pairs[best] < 2:
            break
        operations.append(best)
        merged = {}
        for symbols, n in vocab.items():
            out: list[str] = []
            i = 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        vocab = merged
    return operations


def build_bpe(corpus: list[str], codes_path: Path, langs: tuple[str, str]) -> list[list[str]]:
    """Write ``bpe.model``; returns the source and target token vocabularies it produces."""
    from argostranslate.apply_bpe import BPE

    tokenized = {lang: _moses_words(corpus, lang) for lang in langs}
    all_words = [w for lang in langs for line in tokenized[lang] for w in line]
    operations = learn_bpe(all_words, BPE_MERGES)
    codes_path.write_text(
        "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in operations), encoding="utf-8"
    )
    with codes_path.open(encoding="utf-8") as handle:
        bpe = BPE(handle)
    vocabularies = []
    for lang in langs:
        tokens = {t for line in tokenized[lang] for t in bpe.segment_tokens(line)}
        chars = {c for line in tokenized[lang] for w in line for c in w}
        tokens |= chars | {c + "@@" for c in chars}
        vocabularies.append(["<unk>", "<s>", "</s>", *sorted(tokens)])
    return vocabularies


# ---------------------------------------------------------------- model


def _random_transformer(
    src_vocab: list[str],
    tgt_vocab: list[str],
    seed: int,
    size: ModelSize = SIZES["tiny"],
    *,
    rare: Iterable[str] = (),
    zero_start: bool = False,
):
    """A CTranslate2 Transformer spec with seeded random weights."""
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config(size.layers, size.heads)
    d_model, ffn_dim = size.d_model, size.ffn
    real_tokens = len(tgt_vocab)
    src_vocab = _padded(src_vocab, size.vocab)
    tgt_vocab = _padded(tgt_vocab, size.vocab)

    def matrix(rows: int, cols: int) -> np.ndarray:
        return rng.normal(0.0, cols**-0.5, (rows, cols)).astype(np.float32)

    def norm(layer) -> None:
        layer.gamma = np.ones(d_model, np.float32)
        layer.beta = np.zeros(d_model, np.float32)

    def linear(layer, rows: int, cols: int) -> None:
        layer.weight = matrix(rows, cols)
        layer.bias = np.zeros(rows, np.float32)

    def attention(layer, self_attention: bool) -> None:
        norm(layer.layer_norm)
        if self_attention:
            linear(layer.linear[0], 3 * d_model, d_model)
            linear(layer.linear[1], d_model, d_model)
        else:
            linear(layer.linear[0], d_model, d_model)
            linear(layer.linear[1], 2 * d_model, d_model)
            linear(layer.linear[2], d_model, d_model)

    def ffn(layer) -> None:
        norm(layer.layer_norm)
        linear(layer.linear_0, ffn_dim, d_model)
        linear(layer.linear_1, d_model, ffn_dim)

    spec.encoder.embeddings[0].weight = matrix(len(src_vocab), d_model)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        attention(layer.self_attention, True)
        ffn(layer.ffn)
    spec.decoder.embeddings.weight = matrix(len(tgt_vocab), d_model)
    norm(spec.decoder.layer_norm)
    for layer in spec.decoder.layer:
        attention(layer.self_attention, True)
        attention(layer.attention, False)
        ffn(layer.ffn)
    linear(spec.decoder.projection, len(tgt_vocab), d_model)
    # Random logits rarely favour one token, so bias against the specials: the model then
    # writes some text and stops on its own at varied lengths (a few run to the cap).
    bias = spec.decoder.projection.bias
    for token, value in (("<unk>", -8.0), ("<s>", -8.0), ("</s>", 0.5), ("▁", -8.0)):
        if token in tgt_vocab:
            bias[tgt_vocab.index(token)] = value
    for prefix in _PREFIXES:
        if prefix in tgt_vocab:
            bias[tgt_vocab.index(prefix)] = -8.0
    bias[real_tokens:] = -8.0  # padding costs compute but is (almost) never chosen
    for token in rare:  # possible, but rare: an engine must strip them when they come
        if token in tgt_vocab:
            bias[tgt_vocab.index(token)] = -3.0
    if zero_start:  # Marian's decoder starts from a zero embedding
        spec.decoder.start_from_zero_embedding = True
    if size.length_clock:
        _end_by_position(spec, tgt_vocab.index("</s>"), d_model)

    spec.register_source_vocabulary(src_vocab)
    spec.register_target_vocabulary(tgt_vocab)
    spec.validate()
    spec.optimize(quantization=size.quantization)
    return spec


def _end_by_position(spec, end_id: int, d_model: int) -> None:
    """Make the end token likelier at every decoded position, so outputs end like sentences.

    With random weights alone most outputs of a big model repeat themselves up to the
    length cap, so a benchmark would time runaway loops. Here the decoder's position
    encodings are sinusoids whose last dimension is a clock (0.2 per position), and the end
    token's logit reads only that dimension. Measured with beam 4 on English news
    sentences (20-120 source tokens): outputs of 36-60 tokens, none at the cap.
    """
    positions = np.arange(1024, dtype=np.float32)[:, None]
    half = d_model // 2
    rates = np.exp(-np.log(10000.0) * np.arange(half, dtype=np.float32) / half)
    table = np.concatenate([np.sin(positions * rates), np.cos(positions * rates)], axis=1)
    table[:, -1] = 0.2 * positions[:, 0]
    spec.decoder.position_encodings.encodings = table.astype(np.float32)
    row = np.zeros(d_model, np.float32)
    row[-1] = 8.0
    spec.decoder.projection.weight[end_id] = row
    spec.decoder.projection.bias[end_id] = -6.0


def _padded(vocab: list[str], size: int) -> list[str]:
    return vocab + [f"<extra_{i}>" for i in range(max(0, size - len(vocab)))]


# ---------------------------------------------------------------- package


def _metadata(from_code: str, to_code: str, version: str, target_prefix: str) -> dict:
    data = {
        "package_version": version,
        "argos_version": "1.9.0",
        "from_code": from_code,
        "from_name": _LANG_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": _LANG_NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }
    if target_prefix:
        data["target_prefix"] = target_prefix
    return data


def _write_package(
    folder: Path,
    from_code: str,
    to_code: str,
    variant: str,
    version: str,
    seed: int,
    corpus: list[str],
    size: ModelSize = SIZES["tiny"],
) -> None:
    folder.mkdir(parents=True)
    target_prefix = f"__{to_code}__" if variant == "target_prefix" else ""
    if variant == "bpe":
        src_vocab, tgt_vocab = build_bpe(corpus, folder / "bpe.model", (from_code, to_code))
    else:
        pieces = train_sentencepiece(
            corpus, folder / "sentencepiece.model", prefixes=bool(target_prefix)
        )
        src_vocab = tgt_vocab = pieces
    spec = _random_transformer(src_vocab, tgt_vocab, seed, size)
    (folder / "model").mkdir()
    spec.save(str(folder / "model"))
    if variant == "txt_vocab":
        vocab_json = folder / "model" / "shared_vocabulary.json"
        tokens = json.loads(vocab_json.read_text(encoding="utf-8"))
        (folder / "model" / "shared_vocabulary.txt").write_text(
            "".join(t + "\n" for t in tokens), encoding="utf-8"
        )
        vocab_json.unlink()
    if variant == "stanza_dir":
        tokenize = folder / "stanza" / from_code / "tokenize"
        tokenize.mkdir(parents=True)
        (tokenize / "default.pt").write_bytes(b"placeholder: l10n splits sentences itself\n")
        (folder / "stanza" / "resources.json").write_text("{}\n", encoding="utf-8")
    (folder / "metadata.json").write_text(
        json.dumps(_metadata(from_code, to_code, version, target_prefix), indent=2) + "\n",
        encoding="utf-8",
    )
    (folder / "README.md").write_text(
        f"Test package {from_code}→{to_code} ({variant}): random weights, output is noise.\n",
        encoding="utf-8",
    )


def zip_folder(folder: Path, archive: Path) -> None:
    """Zip ``folder`` as the archive's single top-level folder, byte-for-byte reproducibly."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder.parent).as_posix()
            info = zipfile.ZipInfo(name + ("/" if path.is_dir() else ""), _FIXED_ZIP_TIME)
            if path.is_dir():
                info.external_attr = 0o40755 << 16
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())


def build_test_package(
    dest_dir: Path,
    from_code: str = "en",
    to_code: str = "ja",
    *,
    variant: str = "plain",
    version: str = "0.1",
    seed: int = 0,
    size: str = "tiny",
) -> Path:
    """Build ``dest_dir/<variant>/translate-<from>_<to>-<version>.argosmodel`` and return it.

    ``dest_dir`` doubles as the cache: an archive built from the same inputs is reused, so a
    session fixture can call this freely. Same inputs give the same bytes (and sha256).
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    corpus = training_corpus()
    key = json.dumps(
        [
            BUILDER_REVISION,
            from_code,
            to_code,
            variant,
            version,
            seed,
            hashlib.sha256("\n".join(corpus).encode()).hexdigest(),
            *([size] if size != "tiny" else []),
        ]
    )
    out_dir = Path(dest_dir) / (variant if size == "tiny" else f"{variant}-{size}")
    archive = out_dir / archive_name(from_code, to_code, version)
    stamp = archive.with_name(archive.name + ".key")
    if archive.is_file() and stamp.is_file() and stamp.read_text() == key:
        return archive
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="modelkit-", dir=out_dir) as work:
        folder = Path(work) / f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
        _write_package(folder, from_code, to_code, variant, version, seed, corpus, SIZES[size])
        partial = Path(work) / archive.name
        zip_folder(folder, partial)
        shutil.move(partial, archive)
    stamp.write_text(key)
    return archive


def archive_name(from_code: str, to_code: str, version: str = "0.1") -> str:
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}.argosmodel"


def unpack_test_package(archive: Path, dest_dir: Path) -> Path:
    """Unzip a built archive without the installer (for tests of the engine alone)."""
    with zipfile.ZipFile(archive) as zf:
        top = zf.namelist()[0].split("/")[0]
        zf.extractall(dest_dir)
    return Path(dest_dir) / top


if __name__ == "__main__":
    import sys
    import time

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/test-packages")
    for name in VARIANTS:
        start = time.perf_counter()
        built = build_test_package(target, variant=name)
        print(f"{name:14} {built} {built.stat().st_size:>9} B {time.perf_counter() - start:.2f}s")


# ---------------------------------------------------------------- other CTranslate2 families

CT2_REVISION = 1
CT2_FAMILIES = ("quickmt", "opus-mt", "opus-mt-multi", "nllb", "m2m100")
_NLLB_LANGS = ("eng_Latn", "jpn_Jpan", "kor_Hang", "fra_Latn")
_M2M_LANGS = ("__en__", "__ja__", "__ko__", "__fr__")
_OPUS_TARGETS = (">>jpn<<", ">>kor<<")


def _spm_pieces(corpus: list[str], path: Path) -> list[str]:
    """Train a sentencepiece model at ``path``; its pieces without its own specials."""
    pieces = train_sentencepiece(corpus, path, prefixes=False)
    return [p for p in pieces if p not in ("<unk>", "<s>", "</s>")]


def _family_spec(family: str, src_vocab: list[str], tgt_vocab: list[str], seed: int):
    """A random Transformer whose config.json is what the family's converter writes."""
    rare = (*_NLLB_LANGS, *_M2M_LANGS, *_OPUS_TARGETS, "<pad>", "<mask>", "<blank>")
    marian = family.startswith("opus-mt")
    spec = _random_transformer(src_vocab, tgt_vocab, seed, rare=rare, zero_start=marian)
    config = spec.config
    if family in ("nllb", "m2m100") or marian:  # ct2-transformers-converter, M2M100Loader
        config.decoder_start_token = "</s>"
    else:  # quickmt: Eole's converter
        config.decoder_start_token = "<s>"
        config.layer_norm_epsilon = 1e-6
    return spec


def build_ct2_model(
    dest_dir: Path, family: str, source: str = "en", target: str = "ja", *, seed: int = 0
) -> Path:
    """Build a random-weight model folder in ``family``'s published layout; returns it.

    Folder names follow the published ones (``quickmt-en-ja``, ``opus-mt-en-ja``,
    ``nllb-200-distilled-600M``, ``m2m100_418M``). Reused when already built.
    """
    if family not in CT2_FAMILIES:
        raise ValueError(f"unknown family {family!r}; choose one of {', '.join(CT2_FAMILIES)}")
    names = {
        "quickmt": f"quickmt-{source}-{target}",
        "opus-mt": f"opus-mt-{source}-{target}",
        "opus-mt-multi": f"opus-mt-tc-big-{source}-mul",
        "nllb": "nllb-200-distilled-600M",
        "m2m100": "m2m100_418M",
    }
    corpus = training_corpus()
    key = json.dumps([BUILDER_REVISION, CT2_REVISION, family, source, target, seed, len(corpus)])
    folder = Path(dest_dir) / names[family]
    stamp = Path(dest_dir) / f".{names[family]}.key"
    if folder.is_dir() and stamp.is_file() and stamp.read_text() == key:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    Path(dest_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="modelkit-", dir=dest_dir) as work:
        out = Path(work) / folder.name
        out.mkdir()
        extra: list[str] = []
        if family == "quickmt":
            src = _spm_pieces(corpus, out / "src.spm.model")
            # quickmt's vocabularies are separate: the target side learns the target text
            tgt = _spm_pieces(
                [line for line in corpus if not line.isascii()], out / "tgt.spm.model"
            )
            specials = ["<unk>", "<blank>", "<s>", "</s>"]
            spec = _family_spec(family, specials + src, specials + tgt, seed)
        elif family.startswith("opus-mt"):
            src = _spm_pieces(corpus, out / "source.spm")
            tgt = _spm_pieces(corpus, out / "target.spm")
            extra = list(_OPUS_TARGETS) if family == "opus-mt-multi" else []
            merged = list(dict.fromkeys([*extra, *src, *tgt]))
            vocab = ["</s>", "<unk>", *merged]  # Marian's order; <pad> removed by the converter
            spec = _family_spec(family, vocab, vocab, seed)
        else:
            pieces = _spm_pieces(corpus, out / "sentencepiece.bpe.model")
            langs = _NLLB_LANGS if family == "nllb" else _M2M_LANGS
            tail = ["<mask>"] if family == "nllb" else ["madeupword0", "madeupword1"]
            vocab = ["<s>", "<pad>", "</s>", "<unk>", *pieces, *langs, *tail]
            spec = _family_spec(family, vocab, vocab, seed)
        spec.save(str(out))
        (out / "README.md").write_text(
            f"Test model in the {family} layout: random weights, output is noise.\n",
            encoding="utf-8",
        )
        shutil.move(out, folder)
    stamp.write_text(key)
    return folder
