"""The newsroom's Prefect automations (``automations/l10n.yaml``) made ready for one
notification block: its id put in every ``send-notification`` action, each automation
checked against Prefect's own model before anything is written or created."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from l10n.errors import L10nError
from l10n.paths import PROJECT_ROOT

DEFINITIONS = PROJECT_ROOT / "automations" / "l10n.yaml"
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


class AutomationFileError(L10nError):
    """An automation file or block id that can't be used; the message says what to fix."""


def block_uuid(value: str) -> str:
    """``value`` as a block document id (a UUID); AutomationFileError naming the fix if not."""
    try:
        parsed = uuid.UUID(value.strip())
    except ValueError:
        raise AutomationFileError(
            f"{value!r} is not a block id — copy the id of your notification block "
            "(UI: Blocks → the block, or `prefect block ls`), e.g. "
            "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        ) from None
    if str(parsed) == PLACEHOLDER:
        raise AutomationFileError(
            "the all-zero id is the file's placeholder — give your block's id"
        )
    return str(parsed)


def filled_automations(block_id: str, path: Path = DEFINITIONS) -> tuple[str, list[str]]:
    """The automation file's text with ``block_id`` in every notification action (comments
    kept), and the names of the automations it holds; each is validated as Prefect would."""
    # Imported here: the CLI imports this module before it points Prefect at a server.
    from prefect.events.schemas.automations import AutomationCore

    block = block_uuid(block_id)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise AutomationFileError(f"{path}: cannot read ({exc.strerror})") from exc
    if PLACEHOLDER not in text:
        raise AutomationFileError(
            f"{path}: no placeholder block id ({PLACEHOLDER}) — is it already filled? Start "
            "again from automations/l10n.yaml"
        )
    filled = text.replace(PLACEHOLDER, block)
    try:
        data = yaml.safe_load(filled)
    except yaml.YAMLError as exc:
        raise AutomationFileError(f"{path}: not YAML ({exc})") from exc
    entries: Any = data.get("automations") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise AutomationFileError(f"{path}: no automations (a list under 'automations:')")
    names: list[str] = []
    for n, entry in enumerate(entries, start=1):
        try:
            automation = AutomationCore.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise AutomationFileError(
                f"{path}: automation {n} is not a valid Prefect automation ({where}: "
                f"{first.get('msg')}) — fix it or start again from automations/l10n.yaml"
            ) from exc
        ids = {
            str(getattr(action, "block_document_id", ""))
            for action in automation.actions
            if getattr(action, "type", "") == "send-notification"
        }
        if ids != {block}:
            raise AutomationFileError(
                f"{path}: automation {n} ({automation.name}) has no send-notification action "
                "for the block — add one with the placeholder id"
            )
        names.append(automation.name)
    return filled, names
