"""``l10n eval``: chrF and BLEU (and COMET when installed) of engines on a desk's references."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from l10n.cli.options import decoding_options
from l10n.errors import L10nError
from l10n.evaluation.evaluate import evaluate
from l10n.evaluation.refs import parse_pair, read_references
from l10n.mt.engines.registry import is_engine_name


def _engines(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str]:
    for name in value:
        if not is_engine_name(name):
            raise click.BadParameter(
                f"{name!r}: not an engine family or a registered model (see `l10n models list`)"
            )
    return list(value)


@click.command("eval")
@click.argument("refs", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--engine",
    "engines",
    multiple=True,
    callback=_engines,
    metavar="NAME",
    help="An engine family or registered model to translate the sources with (repeatable).",
)
@click.option(
    "--hyp",
    "hypotheses",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Score this file's lines (one per reference, same order) instead (repeatable).",
)
@click.option(
    "--pair",
    default=None,
    metavar="SRC-TGT",
    help="The references' pair: needed for TSV; for TMX, only this pair.",
)
@click.option(
    "--json-out",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the scores as JSON here ('-' for standard output).",
)
@decoding_options
def eval_command(
    refs: Path,
    engines: list[str],
    hypotheses: tuple[Path, ...],
    pair: str | None,
    json_out: Path | None,
    beam: int,
    compute_type: str,
    device: str,
) -> None:
    """Score engines on REFS, a reference set of your own articles.

    REFS is TSV (source<TAB>reference, one segment a line; give --pair) or TMX. Each
    --engine translates the sources; each --hyp file is scored as it is. chrF and BLEU
    come from sacrebleu (BLEU tokenized for the target language as sacrebleu does it,
    with sacrebleu[ja] / sacrebleu[ko] installed, else on characters); COMET is added
    when unbabel-comet is installed. Compare engines, then set --route per pair.

    \b
    Example:
        l10n eval desk-refs.tsv --pair en-ja --engine argos --engine quickmt-en-ja
        l10n eval desk-refs.tmx --engine nllb --json-out scores.json
        l10n eval desk-refs.tsv --pair en-ko --hyp vendor-output.txt
    """
    settings = {"beam_size": beam, "compute_type": compute_type or None, "device": device}
    try:
        sets = read_references(refs, parse_pair(pair) if pair else None)
        report = evaluate(sets, engines, list(hypotheses), settings)
    except L10nError as exc:
        raise click.ClickException(str(exc)) from exc
    report["references"] = str(refs)
    _print(report, to_stderr=str(json_out) == "-")
    if json_out is not None:
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        if str(json_out) == "-":
            click.echo(text, nl=False)
        else:
            json_out.write_text(text, encoding="utf-8")
            click.echo(f"scores written to {json_out}", err=True)
    if any(r.get("error") for rows in report["pairs"].values() for r in rows):
        raise click.exceptions.Exit(1)


def _print(report: dict[str, Any], *, to_stderr: bool) -> None:
    """The table (on standard error when the JSON goes to standard output)."""

    def echo(text: str) -> None:
        click.echo(text, err=to_stderr)

    header = ["PAIR", "SYSTEM", "SEGMENTS", "chrF", "BLEU", "TOKENIZER"]
    if report["comet"]:
        header.append("COMET")
    rows = [header]
    notes: list[str] = []
    for pair, results in report["pairs"].items():
        for r in results:
            if r.get("error"):
                notes.append(f"{pair} {r['system']}: {r['error']}")
                rows.append([pair, r["system"], str(r["segments"]), "-", "-", "-"])
                continue
            row = [
                pair,
                r["system"],
                str(r["segments"]),
                f"{r['chrf']:.2f}",
                f"{r['bleu']:.2f}",
                r["bleu_tokenizer"],
            ]
            if report["comet"]:
                row.append("-" if r.get("comet") is None else f"{r['comet']:.4f}")
            rows.append(row)
            notes.extend(f"{pair} {r['system']}: {r[k]}" for k in ("note", "comet_note") if k in r)
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(header))]
    for row in rows:
        echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip())
    for note in dict.fromkeys(notes):
        echo(f"note: {note}")


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(eval_command)
