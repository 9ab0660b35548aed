"""The layering docs/architecture.md describes, and the engine plug-in point, kept by tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT

from l10n.models import ModelInfo


def test_imports_point_down_and_only_the_prefect_layer_imports_prefect():
    """import-linter checks the contracts in pyproject.toml: CLI > flow/server > pipeline >
    review > correct/mt > articles/glossary/run > text > records."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_there_is_one_top_level_package():
    packages = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))
    assert packages == ["l10n"]


class ShoutEngine:
    """A toy family: upper-cases every text. Stands for any new model family."""

    name = "shout"
    is_pseudo = False
    carries_placeholders = False
    needs_model = True

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.beam_size = int(settings.get("beam_size", 4))

    @property
    def options(self) -> dict[str, Any]:
        return {"beam_size": self.beam_size}

    @property
    def settings(self) -> dict[str, Any]:
        return {"beam_size": self.beam_size}

    def can_translate(self, source: str, target: str) -> bool:
        return target == "ja"

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return [ModelInfo(f"shout-{source}-{target}", "1", None, source, target, family="shout")]

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        listed = ", ".join(f"{s}→{t}" for s, t in pairs)
        return f"the shout family has no model for {listed} — run `shout install`"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return [text.upper() for text in texts]


@pytest.fixture
def shout_family():
    from l10n.mt.engines import registry

    registry.families()  # the built-in families first
    family = registry.register(registry.Family("shout", ShoutEngine, "upper-cases the text"))
    yield family
    registry._families.pop("shout")
    registry.engine_from_spec.cache_clear()


def test_a_new_family_is_one_class_and_a_registration(shout_family, tmp_path: Path):
    from l10n.mt.engines.registry import engine_names
    from l10n.pipeline import RunOptions, translate_run

    assert "shout" in engine_names()
    summary = translate_run(
        RunOptions(
            inputs=[str(EXAMPLES / "nara-summit.txt")],
            targets=["ja", "ko"],
            engine="shout",
            routes=["en-ko=pseudo"],
            out=str(tmp_path),
            run_id="shout",
            beam=2,
        )
    )
    [done] = summary.done
    assert done.engine == "shout+pseudo"
    assert [e.name for e in summary.engines] == ["shout", "pseudo"]
    shout = next(e for e in summary.engines if e.name == "shout")
    assert shout.options == {"beam_size": 2}
    assert [m.name for m in shout.packages] == ["shout-en-ja"]
    folder = tmp_path / "shout" / "nara-summit"
    ja = (folder / "ja.mt.txt").read_text("utf-8")
    assert ja.isupper() or not any(c.islower() for c in ja)
    assert "PSEUDO-LOCALIZED" in (folder / "ko.mt.txt").read_text("utf-8")


def test_auto_falls_back_per_pair_and_a_named_family_fails_only_its_pairs(
    shout_family, tmp_path: Path
):
    from l10n.pipeline import RunOptions, translate_run

    # auto: ja has a shout model (argos has none in the sandbox), ko has none: pseudo, loudly
    summary = translate_run(
        RunOptions(
            inputs=[str(EXAMPLES / "nara-summit.txt")],
            engine="auto",
            out=str(tmp_path),
            run_id="auto",
        ),
    )
    [done] = summary.done
    assert done.engine == "shout+pseudo"
    [warning] = [w for w in summary.warnings if "NO TRANSLATION MODEL" in w]
    assert "en→ko" in warning and "en→ja" not in warning
    # named: shout cannot do ko, so the article fails with the family's own reason
    summary = translate_run(
        RunOptions(
            inputs=[str(EXAMPLES / "nara-summit.txt")],
            engine="shout",
            out=str(tmp_path),
            run_id="named",
        )
    )
    [failed] = summary.failed
    assert failed.reason == "the shout family has no model for en→ko — run `shout install`"


def test_a_route_names_a_known_engine_and_a_pair(tmp_path: Path):
    from l10n.errors import UsageError
    from l10n.mt.engines.routes import Routes

    assert Routes.parse("argos", ["en-ko=pseudo"]).name_for(("en", "ko")) == "pseudo"
    assert Routes.parse("argos", ["en-ko=pseudo"]).name_for(("en", "ja")) == "argos"
    by_target = Routes.parse("argos", ["*-ko=pseudo", "ja-ko=argos"])  # a pair beats a target
    assert [by_target.name_for(p) for p in [("en", "ko"), ("ja", "ko"), ("en", "ja")]] == [
        "pseudo",
        "argos",
        "argos",
    ]
    for bad in ("en-ko", "enko=pseudo", "en-ko=nope", "xx1-ko=pseudo", "**-ko=pseudo"):
        with pytest.raises(UsageError, match="route"):
            Routes.parse("argos", [bad])
