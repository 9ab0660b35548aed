"""What Prefect adds to a small run: `l10n translate` on one short article vs the bare pipeline.

Every figure is the wall time of a fresh Python process, so interpreter start and
imports count on both sides:

- translate, fresh home: `l10n translate` with an empty PREFECT_HOME, so the
  temporary (ephemeral) server also creates its database;
- translate, warm home: the same again with that PREFECT_HOME;
- translate, running server: PREFECT_API_URL points at a `prefect server start`
  already running (its start is not timed);
- plain functions: the stages the flow's tasks call, without Prefect;
- ephemeral server only: `import prefect` plus one API call answered by a
  temporary server, fresh and warm home.

Example:
    .venv/bin/python benchmarks/bench_prefect.py
    .venv/bin/python benchmarks/bench_prefect.py --repeat 3
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARTICLE = (
    "Leaders meet in Nara\n\n"
    "Prime Minister Sanae Takaichi welcomed President Lee Jae Myung to Nara on Tuesday.\n\n"
    "The two leaders agreed to meet again in Seoul next year.\n"
)
EPHEMERAL_CALL = (
    "from prefect.client.orchestration import get_client\n"
    "with get_client(sync_client=True) as client:\n"
    "    client.hello()\n"
)


def plain_pipeline(inputs: list[str], out: Path, glossary: Path) -> None:
    """The flow's stages, called directly: read, detect, plan, translate, correct, store."""
    from l10n.articles.boilerplate import load_rules
    from l10n.articles.read import read_inputs
    from l10n.correct.stage import correct_article
    from l10n.glossary import load_glossary
    from l10n.mt.engines.select import select_engine
    from l10n.mt.memory import default_location, open_memory
    from l10n.mt.translate import assemble, prepare_translation, translate_chunk
    from l10n.review.files import write_article_review_files
    from l10n.run.store import RunContext, new_run_id, write_article
    from l10n.run.summary import engine_record
    from l10n.text.plan import language_pairs, plan_articles

    gloss = load_glossary(glossary)
    batch = read_inputs(inputs, load_rules(None))
    plans = plan_articles(batch.articles, ["ja", "ko"])
    engine = select_engine("pseudo", language_pairs(plans)).engine
    memory = open_memory(default_location(out))
    ctx = RunContext(
        run_dir=out / new_run_id(),
        targets=["ja", "ko"],
        engine=engine_record(engine, "pseudo", plans),
        glossary={"path": str(glossary), "sha256": gloss.sha256},
    )
    work = prepare_translation(plans, engine, gloss, memory=memory)
    mt = assemble(work, [(chunk, translate_chunk(engine, chunk, memory)) for chunk in work.chunks])
    memory.close()
    for plan in plans:
        translations = correct_article(plan, mt[plan.article.id], gloss)
        write_article_review_files(write_article(plan, translations, ctx, {}))


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    import httpx

    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server_env = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    server_env["PREFECT_HOME"] = str(home)
    process = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=server_env,
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return process, api
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    sys.exit("the Prefect server did not answer within 180 s")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def median_of(repeat: int, run: Callable[[int], float]) -> tuple[float, float]:
    times = [run(i) for i in range(repeat)]
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per row (median shown)")
    parser.add_argument("--plain", nargs=2, metavar=("INPUT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    glossary = ROOT / "glossaries" / "leaders.yaml"
    if args.plain:
        plain_pipeline([args.plain[0]], Path(args.plain[1]), glossary)
        return

    work = Path(tempfile.mkdtemp(prefix="bench-prefect-"))
    story = work / "story.txt"
    story.write_text(ARTICLE, "utf-8")
    base = dict(
        os.environ,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
    )
    base.pop("PREFECT_API_URL", None)
    l10n = str(BIN / "l10n")

    def translate(env: dict[str, str], i: int, tag: str) -> float:
        return timed(
            [
                l10n,
                "translate",
                str(story),
                "--engine",
                "pseudo",
                "--glossary",
                str(glossary),
                "--out",
                str(work / f"out-{tag}-{i}"),
            ],
            env,
        )

    def fresh_home(tag: str, i: int) -> dict[str, str]:
        return dict(base, PREFECT_HOME=str(work / f"home-{tag}-{i}"))

    warm_env = dict(base, PREFECT_HOME=str(work / "home-warm"))
    timed([sys.executable, "-c", EPHEMERAL_CALL], warm_env)  # create the warm home's database

    print(
        f"One short article, engine pseudo, {args.repeat} run(s) per row; wall time of a "
        f"fresh process (s). Work folder: {work}"
    )
    print(f"{'':40} {'median':>8} {'min':>8}")

    def row(name: str, run: Callable[[int], float]) -> float:
        median, fastest = median_of(args.repeat, run)
        print(f"{name:40} {median:8.2f} {fastest:8.2f}", flush=True)
        return median

    def python(code: str, env: dict[str, str]) -> float:
        return timed([sys.executable, "-c", code], env)

    row("import prefect", lambda i: python("import prefect", base))
    row("ephemeral server only, fresh home", lambda i: python(EPHEMERAL_CALL, fresh_home("eph", i)))
    row("ephemeral server only, warm home", lambda i: python(EPHEMERAL_CALL, warm_env))
    plain = row(
        "plain functions, no Prefect",
        lambda i: timed(
            [sys.executable, __file__, "--plain", str(story), str(work / f"out-plain-{i}")], base
        ),
    )
    results = {
        "fresh home": row(
            "l10n translate, fresh home", lambda i: translate(fresh_home("cli", i), i, "fresh")
        ),
        "warm home": row("l10n translate, warm home", lambda i: translate(warm_env, i, "warm")),
    }
    server, api = start_server(work / "home-server", base)
    try:
        served_env = dict(base, PREFECT_HOME=str(work / "home-client"), PREFECT_API_URL=api)
        results["running server"] = row(
            "l10n translate, running server", lambda i: translate(served_env, i, "served")
        )
    finally:
        stop_server(server)
    print(
        "Prefect's share (l10n translate minus plain functions): "
        + ", ".join(f"{name} {median - plain:+.2f} s" for name, median in results.items())
    )


if __name__ == "__main__":
    main()
