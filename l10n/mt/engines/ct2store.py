"""Registered CTranslate2 models: detected, checked, copied next to the Argos packages.

``l10n models add DIR`` detects the family from the files and the vocabulary, checks the
files (config keys, vocabulary size against ``model.bin``, the sentencepiece models load),
records every file's sha256 and copies the folder to ``<models dir>/<name>/`` in one
rename. The models dir is ``$L10N_MODELS_DIR``, else ``l10n-models`` beside the Argos
package folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from l10n.errors import L10nError
from l10n.mt.engines.argos.packages import default_packages_dir
from l10n.mt.engines.ct2family import LAYOUTS, Layout, Pair, RegisteredModel
from l10n.mt.engines.ct2files import (
    ModelFilesError,
    check_vocabulary_sizes,
    folder_digest,
    read_config,
    sha256_file,
    vocabularies,
)
from l10n.text.languages import is_valid_code, normalise_code

RECORD = "l10n-model.json"
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PAIR_IN_NAME_RE = re.compile(r"(?:^|[-_])([a-z]{2,3})-([a-z]{2,3})$")
_TEMP_PREFIX = ".l10n-"
# Codes that look like ours but are other languages: OPUS-MT's "jap" is Jaruára.
_FALSE_FRIENDS = {"jap": "ja"}


class ModelStoreError(L10nError):
    """A model that cannot be registered or found; the message names the fix."""


def default_models_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    configured = env.get("L10N_MODELS_DIR")
    if configured:
        return Path(configured).expanduser()
    return default_packages_dir(env).parent / "l10n-models"


def _load_layouts() -> None:
    from l10n.mt.engines.registry import families

    families()  # importing the family modules adds their layouts


def list_models(models_dir: Path | None = None) -> list[RegisteredModel]:
    """Every registered model, by name; unreadable records are skipped."""
    folder = models_dir or default_models_dir()
    if not folder.is_dir():
        return []
    found = []
    for child in sorted(folder.iterdir()):
        record = child / RECORD
        if child.name.startswith(".") or not record.is_file():
            continue
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            found.append(RegisteredModel.from_json(data, child))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def find_model(name: str, models_dir: Path | None = None) -> RegisteredModel | None:
    for model in list_models(models_dir):
        if model.name == name:
            return model
    return None


def detect(folder: Path) -> tuple[Layout, list[str], list[str]]:
    """The family of ``folder``, with its source and target vocabularies."""
    _load_layouts()
    if not folder.is_dir():
        raise ModelStoreError(f"{folder}: not a folder — give a converted CTranslate2 model folder")
    if not (folder / "model.bin").is_file():
        raise ModelStoreError(
            f"{folder}: no model.bin — convert the model first (docs/engines.md has the commands)"
        )
    try:
        source, target = vocabularies(folder)
    except ModelFilesError as exc:
        raise ModelStoreError(str(exc)) from None
    claimed = [layout for layout in LAYOUTS.values() if layout.claims(folder, target)]
    if not claimed:
        names = sorted(p.name for p in folder.iterdir())
        raise ModelStoreError(
            f"{folder}: not a model of a known family ({', '.join(LAYOUTS)}): it has "
            f"{', '.join(names)}; quickmt needs src.spm.model and tgt.spm.model, opus-mt "
            "source.spm and target.spm, nllb and m2m100 sentencepiece.bpe.model and their "
            "language tokens in shared_vocabulary.json"
        )
    return claimed[0], source, target


def _pair_from(text: str) -> Pair | None:
    match = _PAIR_IN_NAME_RE.search(text.lower())
    if not match:
        return None
    source, target = match.groups()
    for code in (source, target):
        if code in _FALSE_FRIENDS:
            raise ModelStoreError(
                f"{text}: {code!r} is not {_FALSE_FRIENDS[code]!r} — opus-mt-en-jap translates "
                "into Jaruára, not Japanese; use an English→Japanese model (docs/engines.md)"
            )
    return normalise_code(source), normalise_code(target)


def parse_pair(text: str) -> Pair:
    source, dash, target = text.strip().partition("-")
    source, target = normalise_code(source), normalise_code(target)
    if not (dash and is_valid_code(source) and is_valid_code(target)) or source == target:
        raise ModelStoreError(f"--pair {text!r}: write it as SOURCE-TARGET, e.g. --pair en-ja")
    return source, target


def _check(folder: Path, layout: Layout, source: list[str], target: list[str]) -> None:
    missing = layout.missing_files(folder)
    if missing:
        raise ModelStoreError(
            f"{folder}: a {layout.family} model needs {', '.join(missing)} (missing here)"
        )
    try:
        layout.check_config(folder, read_config(folder))
        check_vocabulary_sizes(folder, source, target)
        layout.codec(folder, layout.languages(target))
    except ModelFilesError as exc:
        raise ModelStoreError(str(exc)) from None


def _pairs(folder: Path, layout: Layout, target: list[str], pair: str | None) -> tuple[Pair, ...]:
    languages = layout.languages(target)
    if layout.multilingual:
        if not languages:
            raise ModelStoreError(f"{folder}: no language tokens in the vocabulary")
        if pair is None:
            return ()
        chosen = parse_pair(pair)
        unknown = [code for code in chosen if code not in languages]
        if unknown:
            raise ModelStoreError(
                f"--pair {pair}: the model has no language token for {', '.join(unknown)}"
            )
        return (chosen,)
    found = parse_pair(pair) if pair is not None else _pair_from(folder.resolve().name)
    if found is None or found[1] == "mul":
        raise ModelStoreError(
            f"{folder}: say which pair this {layout.family} model translates, e.g. --pair en-ja"
        )
    try:
        layout.check_pair(folder, found, target)
    except ModelFilesError as exc:
        raise ModelStoreError(str(exc)) from None
    return (found,)


def add_model(
    folder: Path,
    *,
    name: str | None = None,
    pair: str | None = None,
    license: str | None = None,
    threshold: float | None = None,
    models_dir: Path | None = None,
) -> RegisteredModel:
    """Detect, check and copy ``folder`` into the store; returns the stored record."""
    from l10n.mt.engines.registry import families

    store = models_dir or default_models_dir()
    layout, source, target = detect(folder)
    _check(folder, layout, source, target)
    languages = layout.languages(target)
    pairs = _pairs(folder, layout, target, pair)
    name = name or folder.resolve().name
    reserved = {f.name for f in families()} | {"auto"}
    if not _NAME_RE.fullmatch(name) or name in reserved:
        raise ModelStoreError(
            f"model name {name!r}: use letters, digits, '.', '_' and '-' (not an engine "
            f"family's name: {', '.join(sorted(reserved))}); choose one with --name"
        )
    if find_model(name, store) is not None:
        raise ModelStoreError(
            f"a model named {name} is already registered — `l10n models remove {name}` first, "
            "or choose another --name"
        )
    files = {
        p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != RECORD
    }
    size = sum((folder / n).stat().st_size for n in files)
    record = RegisteredModel(
        name=name,
        family=layout.family,
        path=store / name,
        license=license or layout.license,
        sha256=folder_digest(files),
        files=files,
        size=size,
        languages=languages if layout.multilingual else {},
        pairs=pairs,
        threshold=threshold,
    )
    try:
        store.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=_TEMP_PREFIX, dir=store) as work:
            staged = Path(work) / name
            staged.mkdir()
            for file_name in files:
                shutil.copy2(folder / file_name, staged / file_name)
            (staged / RECORD).write_text(
                json.dumps(record.to_json(), indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
            staged.rename(store / name)
    except OSError as exc:
        raise ModelStoreError(f"{store}: could not store the model ({exc})") from None
    return record


def remove_model(name: str, models_dir: Path | None = None) -> RegisteredModel:
    store = models_dir or default_models_dir()
    model = find_model(name, store)
    if model is None:
        known = ", ".join(m.name for m in list_models(store)) or "none"
        raise ModelStoreError(
            f"no registered model named {name!r} in {store} (registered: {known}); "
            "see `l10n models list`"
        )
    try:
        shutil.rmtree(model.path)
    except OSError as exc:
        raise ModelStoreError(f"{model.path}: could not remove ({exc})") from None
    return model


def set_threshold(
    name: str,
    threshold: float | None,
    models_dir: Path | None = None,
    packages_dir: Path | None = None,
) -> str:
    """Record the ``low-confidence`` threshold (None: none) of the model ``name``: a
    registered model (in its ``l10n-model.json``) or an installed Argos package (in its
    ``.l10n-install.json``). Returns where it was recorded."""
    from l10n.mt.engines.argos.packages import SIDECAR_NAME, installed_packages
    from l10n.mt.engines.argos.packages import set_threshold as set_package_threshold
    from l10n.run.atomic import write_text_atomic

    store = models_dir or default_models_dir()
    model = find_model(name, store)
    if model is not None:
        record = model.path / RECORD
        updated = {**model.to_json(), "threshold": threshold}
        try:
            write_text_atomic(record, json.dumps(updated, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise ModelStoreError(f"{record}: could not write ({exc})") from None
        return str(record)
    packages = packages_dir or default_packages_dir()
    if not any(p.name == name for p in installed_packages(packages)):
        known = [m.name for m in list_models(store)]
        known += sorted({p.name for p in installed_packages(packages)})
        raise ModelStoreError(
            f"no model named {name!r} in {store} or {packages} (known: "
            f"{', '.join(known) or 'none'}); see `l10n models list`"
        )
    (first, *_) = set_package_threshold(packages, name, threshold)
    return str(first.path / SIDECAR_NAME)
