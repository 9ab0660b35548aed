"""Throughput and memory of ArgosEngine on a test package (or on installed real packages).

A test package has random weights and a tiny Transformer, so its figures measure the
engine's own overhead (tokenizing, batching, decoding) rather than translation quality;
pass --packages-dir with real packages installed to measure those.

Example:
    .venv/bin/python benchmarks/bench_engine.py
    .venv/bin/python benchmarks/bench_engine.py --packages-dir "$ARGOS_PACKAGES_DIR"
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def _sentences(n: int) -> list[str]:
    from modelkit import generated_sentences

    base = [s for s in generated_sentences() if s.isascii()]
    return [f"{base[i % len(base)]} ({i})" for i in range(n)]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--packages-dir", type=Path, default=None)
    parser.add_argument("--source", default="en")
    parser.add_argument("--target", default="ja")
    parser.add_argument("--beam-size", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--max-batch-tokens", type=int, default=1024)
    parser.add_argument(
        "--size",
        choices=("tiny", "base"),
        default="tiny",
        help="test model shape: tiny, or base = the published packages' shape "
        "(6+6 layers, d512, 32k vocabulary, int8)",
    )
    args = parser.parse_args()

    from l10n.mt.engines.argos import ArgosEngine
    from l10n.mt.packages import install_archive

    with tempfile.TemporaryDirectory(prefix="bench-engine-") as work:
        packages = args.packages_dir
        built_in = 0.0
        if packages is None:
            from modelkit import build_test_package

            start = time.perf_counter()
            archive = build_test_package(
                Path(work) / "built", args.source, args.target, size=args.size
            )
            packages = Path(work) / "packages"
            install_archive(archive, packages)
            built_in = time.perf_counter() - start
        engine = ArgosEngine(
            packages,
            beam_size=args.beam_size,
            max_batch_tokens=args.max_batch_tokens,
            threads=args.threads,
        )
        texts = _sentences(args.sentences)
        rss_before = _peak_rss_mib()
        start = time.perf_counter()
        engine.translate_batch(texts[:1], args.source, args.target)  # load the model
        loaded_in = time.perf_counter() - start
        start = time.perf_counter()
        out = engine.translate_batch(texts, args.source, args.target)
        elapsed = time.perf_counter() - start
        assert len(out) == len(texts)
        out_chars = sum(len(t) for t in out) / len(out)

    kind = (
        "installed packages" if args.packages_dir else f"{args.size} test package (random weights)"
    )
    print(f"engine          argos, {kind}, {args.source}→{args.target}")
    print(
        f"settings        beam {args.beam_size}, threads {args.threads or 'auto'}, "
        f"batch {args.max_batch_tokens} tokens"
    )
    if built_in:
        print(f"build+install   {built_in:.2f} s")
    print(f"model load      {loaded_in:.2f} s")
    print(
        f"segments        {len(texts)} in {elapsed:.2f} s = {len(texts) / elapsed:.1f} segments/s"
    )
    print(f"output          {out_chars:.0f} characters per segment on average")
    print(f"peak RSS        {_peak_rss_mib():.0f} MiB (before translating: {rss_before:.0f} MiB)")


if __name__ == "__main__":
    main()
