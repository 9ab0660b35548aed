"""The pipeline's translation stage beside raw CTranslate2 and argostranslate's own path.

One process, one model (a test package of the published packages' shape: 6+6 layers,
d512, 32k vocabulary, int8, random weights), one beam, one set of sentences taken from
synthetic news articles in which no sentence repeats. Timed, in alternating order and
keeping each path's best run:

(a) pipeline  the translation stage as the flow runs it: segmented articles in,
              ``prepare_translation`` (no translation memory), every chunk through
              ``translate_chunk`` on a thread pool, ``assemble`` out;
(b) raw       ``ctranslate2.Translator.translate_batch`` on exactly the token sequences the
              engine sends, sorted by length, in token batches with the engine's settings;
(c) argos     argostranslate 1.11's ``translate()`` once per article, with only its
              sentence splitter replaced (by l10n's, so it sees the same sentences), at
              the thread count that is fastest for it here (timed on the first article).

Every path decodes with the same beam, ``length_penalty`` 0.2 and ctranslate2's default
length limit of 256 tokens (argostranslate's), so they do the same work; how many outputs
agree word for word is printed as a check. Writes ``benchmarks/results/latest.json`` and
exits 1 when ``pipeline_vs_raw`` (a/b) is above 1.10 or ``speedup_vs_argostranslate``
(c/a) below 5. ``BENCH_QUICK=1`` measures fewer articles, fewer times.

Example:
    .venv/bin/python benchmarks/compare.py
    .venv/bin/python benchmarks/compare.py --cores 16 --articles 48
    .venv/bin/python benchmarks/compare.py --smoke    # tiny model, 1 article, no target
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import types
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

TARGET_PIPELINE_VS_RAW = 1.10
TARGET_SPEEDUP_VS_ARGOS = 5.0
SOURCE, TARGET = "en", "ja"
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"


@dataclass
class Way:
    """One way of translating the sentences: its timed runs and what its best run produced.

    ``run`` is what is timed; ``finish`` turns its result into output text afterwards.
    """

    name: str
    run: Callable[[], Any]
    finish: Callable[[Any], list[str]] = list
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    others_busy: list[float] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.seconds)

    def time_once(self, quiet_wait_s: float) -> float:
        from bench_engine import wait_for_quiet

        self.others_busy.append(round(wait_for_quiet(quiet_wait_s), 2))
        cpu = time.process_time()
        start = time.perf_counter()
        result = self.run()
        elapsed = time.perf_counter() - start
        self.cpu_seconds.append(time.process_time() - cpu)
        self.seconds.append(elapsed)
        if elapsed == self.best:
            self.outputs = self.finish(result)
        return elapsed


def _environment(work: Path, compute_type: str, beam: int) -> None:
    """argostranslate reads its settings from the environment once, when first imported."""
    os.environ.update(
        {
            "ARGOS_PACKAGES_DIR": str(work / "packages"),
            "XDG_DATA_HOME": str(work / "data"),
            "XDG_CONFIG_HOME": str(work / "config"),
            "XDG_CACHE_HOME": str(work / "cache"),
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_COMPUTE_TYPE": compute_type,
            "ARGOS_BEAM_SIZE": str(beam),
            "ARGOS_INTER_THREADS": "1",  # its path waits for each batch: more cannot help
        }
    )


def _stub_sentence_splitter(segments_of: dict[str, list[str]]) -> str:
    """Make argostranslate.translate importable without stanza and split like l10n does.

    Returns how argostranslate was run, for the output.
    """
    from l10n.text.segment import split_sentences

    try:
        import stanza  # noqa: F401
    except ImportError:
        # argostranslate.sbd imports stanza at the top; its classes are replaced below,
        # so nothing of it is ever called.
        sys.modules["stanza"] = types.ModuleType("stanza")
    import argostranslate.translate as argos_translate

    class SameSentences:
        def __init__(self, pkg: Any) -> None:
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return segments_of.get(text) or split_sentences(text, self.pkg.from_code)

    for name in ("StanzaSentencizer", "MiniSBDSentencizer", "SpacySentencizerSmall"):
        setattr(argos_translate, name, SameSentences)
    return (
        "argostranslate 1.11 translate(), once per article, its sentence splitter replaced "
        "by l10n's (stanza is not installed); batches of 32 tokens, beam "
        f"{os.environ['ARGOS_BEAM_SIZE']}, length_penalty 0.2"
    )


class ArgosPath:
    """argostranslate's translate() over whole articles, at its fastest thread count here.

    Its Translator takes ``ARGOS_INTRA_THREADS`` when first used: 0 (its default, which
    ctranslate2 reads as up to 4) or any number. Sentence-at-a-time decoding may run
    slower on more threads, so :meth:`calibrate` times one article with each candidate
    and keeps the fastest; the comparison is with argostranslate at its best.
    """

    def __init__(self, source: str, target: str) -> None:
        import argostranslate.settings as argos_settings
        import argostranslate.translate as argos_translate

        self.settings = argos_settings
        self.translate = argos_translate.translate
        self.source, self.target = source, target
        cached = argos_translate.get_translation_from_codes(source, target)
        self.cached = cached  # CachedTranslation: it remembers the previous call's paragraphs
        self.package_translation = cached.underlying
        self.threads = 0

    def use_threads(self, threads: int) -> None:
        self.settings.intra_threads = threads
        self.package_translation.translator = None  # rebuilt on the next call
        self.threads = threads
        self.run(["Warm-up sentence two."])

    def run(self, texts: list[str]) -> list[str]:
        self.cached.cache = {}  # a repeated run must translate again, like the first
        return [self.translate(text, self.source, self.target) for text in texts]

    def calibrate(self, candidates: list[int], sample: list[str]) -> dict[int, float]:
        seconds = {}
        for threads in candidates:
            self.use_threads(threads)
            start = time.perf_counter()
            self.run(sample)
            seconds[threads] = round(time.perf_counter() - start, 3)
        self.use_threads(min(seconds, key=lambda n: seconds[n]))
        return seconds


def main() -> int:
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=6 if quick else 24)
    parser.add_argument("--repeats", type=int, default=2 if quick else 3)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--compute-type", default="int8")
    parser.add_argument("--cores", type=int, default=0, help="pin to this many cores (0: all)")
    parser.add_argument("--threads", type=int, default=0, help="model threads (0: every core)")
    parser.add_argument(
        "--inter-threads", type=int, default=0, help="parallel batches (0: the engine's default)"
    )
    parser.add_argument("--max-batch-tokens", type=int, default=0, help="0: the engine's default")
    parser.add_argument("--chunk-size", type=int, default=64, help="texts per engine call")
    parser.add_argument(
        "--argos-threads",
        type=int,
        default=-1,
        help="argostranslate's ARGOS_INTRA_THREADS (-1: the fastest of 1, 0 and --threads)",
    )
    parser.add_argument(
        "--chunk-concurrency",
        type=int,
        default=0,
        help="chunks translated at once (0: all, like the flow's thread pool)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=5.0 if quick else 60.0,
        help="seconds each run may wait for other processes to go quiet",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a tiny model, 1 article, 1 run; results to a temporary file, no target checked",
    )
    args = parser.parse_args()
    size = "base"
    if args.smoke:
        size, args.articles, args.repeats, args.quiet_wait = "tiny", 1, 1, 0.0
        args.argos_threads = max(args.argos_threads, 1)

    from bench_engine import cpu_model, pin_cores

    cores = pin_cores(args.cores)
    threads = args.threads or cores
    work = Path(tempfile.mkdtemp(prefix="l10n-compare-"))
    atexit.register(shutil.rmtree, work, True)
    _environment(work, args.compute_type, args.beam)

    from modelkit import build_test_package
    from news_articles import news_articles

    from l10n.glossary import load_glossary
    from l10n.mt.engines.argos import ArgosEngine
    from l10n.mt.engines.argos.packages import install_archive
    from l10n.mt.engines.ct2 import ABSOLUTE_MAX_TOKENS as _ABSOLUTE_MAX_TOKENS
    from l10n.mt.engines.ct2 import DEFAULT_MAX_BATCH_TOKENS, LENGTH_PENALTY
    from l10n.mt.translate import assemble, prepare_translation, translate_chunk
    from l10n.paths import DEFAULT_GLOSSARY, resolve_glossary
    from l10n.text.plan import plan_articles

    started = time.perf_counter()
    packages_home = ROOT / "build" / "test-packages" if not args.smoke else work / "built"
    if args.smoke:
        args.out = work / "smoke.json"
    archive = build_test_package(packages_home, SOURCE, TARGET, size=size)
    install_archive(archive, work / "packages")
    glossary = load_glossary(resolve_glossary(DEFAULT_GLOSSARY))
    articles = news_articles(args.articles)
    plans = plan_articles(articles, [TARGET], SOURCE)
    print(f"model built and installed in {time.perf_counter() - started:.1f} s", flush=True)

    budget = args.max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS
    engine = ArgosEngine(
        work / "packages",
        beam_size=args.beam,
        compute_type=args.compute_type,
        max_batch_tokens=budget,
        # argostranslate stops at ctranslate2's default limit of 256 tokens: so does this.
        max_length_ratio=float(_ABSOLUTE_MAX_TOKENS),
        threads=threads,
        inter_threads=args.inter_threads,
    )
    run = engine.runner.run_settings()
    loaded = engine._load((SOURCE, TARGET))
    translator = loaded.translator

    # (a) the pipeline's translation stage, timed from segmented plans to assembled MT.
    def pipeline() -> list[str]:
        work_ = prepare_translation(
            plans, engine, glossary, memory=None, chunk_size=args.chunk_size
        )
        workers = args.chunk_concurrency or max(1, len(work_.chunks))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(lambda c: (c, translate_chunk(engine, c)), work_.chunks))
        rows = assemble(work_, done)
        return [m.mt for plan in plans for m in rows[plan.article.id][TARGET]]

    # (b) raw ctranslate2 on the very token sequences the engine sends.
    segments = [s.text for plan in plans for s in plan.segments]
    unique = sorted(set(segments), key=lambda t: (len(t), t))
    tokens = [loaded.encode(t.strip()) for t in unique]
    order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
    # The engine's batching (with its spreading of a small call over the parallel batches).
    batches = engine.runner.batches(order, tokens, engine.runner.budget(order, tokens))

    def raw() -> dict[int, list[str]]:
        queued = [
            translator.translate_batch(
                [tokens[i] for i in batch],
                beam_size=args.beam,
                max_batch_size=budget,
                batch_type="tokens",
                length_penalty=LENGTH_PENALTY,
                max_decoding_length=_ABSOLUTE_MAX_TOKENS,
                replace_unknowns=True,
                asynchronous=True,
            )
            for batch in batches
        ]
        return {
            i: result.result().hypotheses[0]
            for batch, pending in zip(batches, queued, strict=True)
            for i, result in zip(batch, pending, strict=True)
        }

    def raw_text(hypotheses: dict[int, list[str]]) -> list[str]:
        by_text = {unique[i]: loaded.decode(hyp) for i, hyp in hypotheses.items()}
        return [by_text[s] for s in segments]

    # (c) argostranslate's own path, one translate() per article.
    segments_of: dict[str, list[str]] = {}
    for plan in plans:
        by_paragraph: dict[int, list[str]] = {}
        for segment in plan.segments:
            by_paragraph.setdefault(segment.paragraph, []).append(segment.text)
        texts = [plan.article.title, *plan.article.paragraphs]
        for number, text in enumerate(texts, start=-1):
            segments_of[text] = by_paragraph.get(number, [])
    how_argos = _stub_sentence_splitter(segments_of)
    argos_path = ArgosPath(SOURCE, TARGET)
    article_texts = ["\n".join([a.title, *a.paragraphs]) for a in articles]
    candidates = [args.argos_threads] if args.argos_threads >= 0 else sorted({1, 0, threads})
    calibration = argos_path.calibrate(candidates, article_texts[:1])
    print(
        "argostranslate, first article by ARGOS_INTRA_THREADS (0: its default): "
        + ", ".join(f"{n}: {t:.2f} s" for n, t in calibration.items())
        + f" -> {argos_path.threads}",
        flush=True,
    )

    def argos() -> list[str]:
        return argos_path.run(article_texts)

    # Load the model before timing; the raw path shares the engine's translator.
    engine.translate_batch(["Warm-up sentence one."], SOURCE, TARGET)

    ways = [Way("pipeline", pipeline), Way("raw", raw, raw_text), Way("argostranslate", argos)]
    source_tokens = sum(len(t) for t in tokens)
    print(
        f"{len(articles)} articles, {len(segments)} segments ({len(unique)} unique), "
        f"{source_tokens} source tokens; beam {args.beam}, {run.device} {run.compute_type}, "
        f"{run.inter_threads} parallel batches x {run.intra_threads} threads, batches of "
        f"{budget} tokens, {cores} cores ({cpu_model()})",
        flush=True,
    )
    for rep in range(args.repeats):
        shift = rep % len(ways)  # a b c, then b c a, then c a b: no way always runs first
        for way in ways[shift:] + ways[:shift]:
            elapsed = way.time_once(args.quiet_wait)
            print(
                f"  run {rep + 1}: {way.name:<15} {elapsed:7.2f} s, "
                f"{way.cpu_seconds[-1]:7.2f} s CPU (machine {way.others_busy[-1]:.0%} busy before)",
                flush=True,
            )

    a, b, c = ways
    pipeline_vs_raw = a.best / b.best
    speedup = c.best / a.best
    # Target tokens: each way's output re-encoded with the package's tokenizer.
    target_tokens = {
        w.name: sum(len(loaded.encode(t)) for line in w.outputs for t in line.split("\n") if t)
        for w in ways
    }
    same = {
        "pipeline_and_raw_segments": _share_equal(a.outputs, b.outputs),
        "pipeline_and_argostranslate_paragraphs": _share_equal(
            _paragraphs(plans, a.outputs), [p for text in c.outputs for p in text.split("\n")]
        ),
    }
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": cores,
            "cpu_model": cpu_model(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_after": list(os.getloadavg()),
        },
        "model": "test package of the published packages' shape (6+6 layers, d512, "
        "32k vocabulary, int8), random weights",
        "workload": {
            "articles": len(articles),
            "segments": len(segments),
            "unique_segments": len(unique),
            "source_tokens": source_tokens,
        },
        "settings": {
            "beam_size": args.beam,
            "length_penalty": LENGTH_PENALTY,
            "max_decoding_length": _ABSOLUTE_MAX_TOKENS,
            "compute_type": run.compute_type,
            "device": run.device,
            "max_batch_tokens": budget,
            "inter_threads": run.inter_threads,
            "intra_threads": run.intra_threads,
            "chunk_size": args.chunk_size,
            "chunk_concurrency": args.chunk_concurrency or "all",
        },
        "argostranslate_path": how_argos,
        "argostranslate_intra_threads": argos_path.threads,
        "argostranslate_calibration_seconds_by_threads": calibration,
        "repeats": args.repeats,
        "seconds": {w.name: round(w.best, 3) for w in ways},
        "all_runs_seconds": {w.name: [round(x, 3) for x in w.seconds] for w in ways},
        "all_runs_cpu_seconds": {w.name: [round(x, 3) for x in w.cpu_seconds] for w in ways},
        # Share of the machine other processes kept busy just before each run (0-1).
        "others_busy_before_runs": {w.name: w.others_busy for w in ways},
        "target_tokens": target_tokens,
        "target_tokens_per_s": {w.name: round(target_tokens[w.name] / w.best, 1) for w in ways},
        "pipeline_vs_raw": round(pipeline_vs_raw, 3),
        "speedup_vs_argostranslate": round(speedup, 2),
        # argostranslate at its default ARGOS_INTRA_THREADS (0), estimated from the
        # first-article calibration; the target is checked against its fastest setting.
        "speedup_vs_argostranslate_default_threads_estimate": round(
            speedup
            * calibration.get(0, calibration[argos_path.threads])
            / calibration[argos_path.threads],
            2,
        ),
        "same_output": same,
        "targets": {
            "pipeline_vs_raw_max": TARGET_PIPELINE_VS_RAW,
            "speedup_vs_argostranslate_min": TARGET_SPEEDUP_VS_ARGOS,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")

    print()
    print(f"{'way':<16} {'best s':>8} {'target tok/s':>13}   all runs")
    for w in ways:
        runs = " ".join(f"{x:.2f}" for x in w.seconds)
        print(f"{w.name:<16} {w.best:8.2f} {target_tokens[w.name] / w.best:13.0f}   {runs}")
    print(
        f"argostranslate: {how_argos}; ARGOS_INTRA_THREADS={argos_path.threads} "
        "(against its default of 0 the pipeline would be about "
        f"{result['speedup_vs_argostranslate_default_threads_estimate']:.1f}x faster)"
    )
    print(f"same output: {same}")
    print(
        f"pipeline_vs_raw {pipeline_vs_raw:.3f} (target <= {TARGET_PIPELINE_VS_RAW}), "
        f"speedup_vs_argostranslate {speedup:.2f} (target >= {TARGET_SPEEDUP_VS_ARGOS})"
    )
    print(f"written to {args.out}")
    missed = []
    if pipeline_vs_raw > TARGET_PIPELINE_VS_RAW:
        missed.append(f"pipeline_vs_raw {pipeline_vs_raw:.3f} > {TARGET_PIPELINE_VS_RAW}")
    if speedup < TARGET_SPEEDUP_VS_ARGOS:
        missed.append(f"speedup_vs_argostranslate {speedup:.2f} < {TARGET_SPEEDUP_VS_ARGOS}")
    if args.smoke:
        print("smoke run: a tiny model on 1 article; targets not checked")
        return 0
    for miss in missed:
        print("TARGET MISSED:", miss)
    return 1 if missed else 0


def _paragraphs(plans: list, outputs: list[str]) -> list[str]:
    """Per-segment outputs joined back into the paragraphs argostranslate returns."""
    joined: list[str] = []
    position = 0
    for plan in plans:
        current: dict[int, list[str]] = {}
        for segment in plan.segments:
            current.setdefault(segment.paragraph, []).append(outputs[position])
            position += 1
        joined.extend(" ".join(current[n]) for n in sorted(current))
    return joined


def _share_equal(left: list[str], right: list[str]) -> float:
    """Share of items equal once whitespace is ignored (tokenizers space joins differently)."""
    if len(left) != len(right) or not left:
        return 0.0
    same = sum("".join(x.split()) == "".join(y.split()) for x, y in zip(left, right, strict=True))
    return round(same / len(left), 3)


if __name__ == "__main__":
    sys.exit(main())
