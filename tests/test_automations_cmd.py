"""`l10n automations --block-id`: the ready automations, filled and checked as Prefect would."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from l10n.cli import main

BLOCK = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def test_the_filled_file_validates_and_names_the_block(tmp_path: Path) -> None:
    from prefect.events.schemas.automations import AutomationCore

    target = tmp_path / "desk.yaml"
    result = CliRunner().invoke(main, ["automations", "--block-id", BLOCK, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "2 automation(s)" in result.output
    assert f"prefect automation create --from-file {target}" in result.output
    text = target.read_text("utf-8")
    assert "00000000-0000-0000-0000-000000000000" not in text
    assert text.startswith("# Prefect automations")  # the file's guidance is kept
    automations = [AutomationCore.model_validate(a) for a in yaml.safe_load(text)["automations"]]
    ids = [str(getattr(a, "block_document_id", "")) for x in automations for a in x.actions]
    assert ids == [BLOCK, BLOCK]
    printed = CliRunner().invoke(main, ["automations", "--block-id", BLOCK])
    assert printed.exit_code == 0 and printed.output == text


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("slack-webhook/desk", "is not a block id"),
        ("00000000-0000-0000-0000-000000000000", "placeholder"),
    ],
)
def test_a_wrong_block_id_is_refused_with_the_fix(block: str, message: str) -> None:
    result = CliRunner().invoke(main, ["automations", "--block-id", block])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_broken_definition_is_refused_naming_the_automation(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "automations" / "l10n.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        source.read_text("utf-8").replace("posture: Reactive", "posture: Sideways", 1)
    )
    result = CliRunner().invoke(main, ["automations", "--block-id", BLOCK, "--file", str(broken)])
    assert result.exit_code == 2
    assert "automation 1 is not a valid Prefect automation" in result.output
    filled = tmp_path / "filled.yaml"
    filled.write_text(
        source.read_text("utf-8").replace("00000000-0000-0000-0000-000000000000", BLOCK)
    )
    again = CliRunner().invoke(main, ["automations", "--block-id", BLOCK, "--file", str(filled)])
    assert again.exit_code == 2 and "already filled" in again.output
