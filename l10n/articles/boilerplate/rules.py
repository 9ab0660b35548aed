"""Explicit boilerplate rules: the YAML file of global and per-site patterns.

Rules live in a YAML file so that a new site can be handled without a code
change. Besides drop rules, a file may list ``keep`` patterns (lines the
classifier must never drop) and switch the classifier off for a site.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from l10n.errors import L10nError

DEFAULT_RULES_PATH = Path(__file__).resolve().parent.parent / "boilerplate.yaml"
DEFAULT_MAX_CHARS = 160
REPEATED_BLOCK = "repeated-block"
SITE_MARKER = "site-marker"
RESERVED_IDS = (REPEATED_BLOCK, SITE_MARKER)

_SITE_MARKER_RE = re.compile(r"source:\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*", re.IGNORECASE)
_THEN_VALUES = ("drop-until-blank",)


class BoilerplateError(L10nError, ValueError):
    """A rules file that cannot be used; the message names the file, line and fix."""


@dataclass(frozen=True)
class Rule:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    max_chars: int = DEFAULT_MAX_CHARS
    until_blank: bool = False

    def matches(self, line: str) -> bool:
        text = line.strip()
        if not text or len(text) > self.max_chars:
            return False
        return any(p.fullmatch(text) for p in self.patterns)


@dataclass(frozen=True)
class SiteRules:
    files: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    keep: tuple[re.Pattern[str], ...] = ()
    classifier: bool | None = None
    """None: follow the file's top-level ``classifier`` setting."""


@dataclass(frozen=True)
class BoilerplateRules:
    global_rules: tuple[Rule, ...] = ()
    sites: dict[str, SiteRules] = field(default_factory=dict)
    path: str | None = None
    keep: tuple[re.Pattern[str], ...] = ()
    classifier: bool = True

    def rules_for(self, site: str | None) -> tuple[Rule, ...]:
        """Global rules first so that a line is attributed to the most general rule."""
        extra = self.sites[site].rules if site in self.sites else ()
        return self.global_rules + extra

    def keep_for(self, site: str | None) -> tuple[re.Pattern[str], ...]:
        """Patterns of lines the classifier must leave alone (explicit drop rules still apply)."""
        extra = self.sites[site].keep if site in self.sites else ()
        return self.keep + extra

    def classifier_for(self, site: str | None) -> bool:
        section = self.sites.get(site) if site is not None else None
        if section is not None and section.classifier is not None:
            return section.classifier
        return self.classifier

    def site_for_file(self, name: str) -> str | None:
        for site, section in self.sites.items():
            if any(fnmatch.fnmatch(name.lower(), pat.lower()) for pat in section.files):
                return site
        return None


def load_rules(path: Path | None = None) -> BoilerplateRules:
    """Read and validate a rules file (the packaged one by default).

    Validation walks the YAML node tree rather than the loaded data so that
    every error can point at the offending line.
    """
    path = Path(path) if path is not None else DEFAULT_RULES_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BoilerplateError(f"{path}: cannot read rules file ({exc}) — check the path") from exc
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BoilerplateError(f"{path}{line}: invalid YAML ({problem}) — fix the syntax") from exc
    return _Validator(str(path)).rules(root)


class _Validator:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, problem: str) -> BoilerplateError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return BoilerplateError(f"{self.path}{line}: {problem}")

    def mapping(self, node: yaml.Node | None, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping — write `key: value` pairs")
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, f"{what} has a non-text key — use plain names")
            if key.value in out:
                raise self.fail(key, f"duplicate key {key.value!r} in {what} — keep only one")
            out[key.value] = value
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list — start items with `- `")
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.fail(node, f"{what} must be a string — quote it")
        if not node.value.strip():
            raise self.fail(node, f"{what} is empty — give it a value")
        return node.value

    def rules(self, root: yaml.Node | None) -> BoilerplateRules:
        if root is None:
            raise self.fail(None, "rules file is empty — add a `global:` list of rules")
        top = self.mapping(root, "the rules file")
        unknown = set(top) - {"version", "global", "sites", "keep", "classifier"}
        if unknown:
            name = sorted(unknown)[0]
            key_node = next(k for k, _ in root.value if k.value == name)
            raise self.fail(
                key_node,
                f"unknown section {name!r} — use version, classifier, keep, global or sites",
            )
        if "version" in top and getattr(top["version"], "value", None) != "1":
            raise self.fail(top["version"], "unsupported version — set `version: 1`")
        seen: set[str] = set()
        global_rules = self.rule_list(top["global"], seen) if "global" in top else ()
        sites: dict[str, SiteRules] = {}
        if "sites" in top:
            for name, section in self.mapping(top["sites"], "sites").items():
                sites[name.lower()] = self.site(name, section, seen)
        keep = self.patterns(top["keep"], "keep") if "keep" in top else ()
        classifier = self.boolean(top["classifier"], "classifier") if "classifier" in top else True
        return BoilerplateRules(global_rules, sites, self.path, keep, classifier)

    def site(self, name: str, node: yaml.Node, seen: set[str]) -> SiteRules:
        fields = self.mapping(node, f"site {name!r}")
        unknown = set(fields) - {"files", "rules", "keep", "classifier"}
        if unknown:
            raise self.fail(
                node,
                f"site {name!r} has unknown key {sorted(unknown)[0]!r} — "
                "use files, rules, keep or classifier",
            )
        files = tuple(
            self.string(item, f"a file pattern of site {name!r}")
            for item in (self.sequence(fields["files"], "files") if "files" in fields else [])
        )
        rules = self.rule_list(fields["rules"], seen) if "rules" in fields else ()
        keep = self.patterns(fields["keep"], f"keep of site {name!r}") if "keep" in fields else ()
        classifier = (
            self.boolean(fields["classifier"], f"classifier of site {name!r}")
            if "classifier" in fields
            else None
        )
        return SiteRules(files, rules, keep, classifier)

    def boolean(self, node: yaml.Node, what: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.fail(node, f"{what} must be true or false")
        return node.value.lower() in ("true", "yes", "on")

    def patterns(self, node: yaml.Node, what: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for item in self.sequence(node, what):
            source = self.string(item, f"a pattern of {what}")
            try:
                compiled.append(re.compile(source, re.IGNORECASE))
            except re.error as exc:
                raise self.fail(item, f"bad regex in {what}: {exc} — fix it") from exc
        return tuple(compiled)

    def rule_list(self, node: yaml.Node, seen: set[str]) -> tuple[Rule, ...]:
        return tuple(self.rule(item, seen) for item in self.sequence(node, "rules"))

    def rule(self, node: yaml.Node, seen: set[str]) -> Rule:
        fields = self.mapping(node, "a rule")
        unknown = set(fields) - {"id", "patterns", "max_chars", "then"}
        if unknown:
            raise self.fail(
                node,
                f"rule has unknown key {sorted(unknown)[0]!r} — "
                "use id, patterns, max_chars or then",
            )
        if "id" not in fields:
            raise self.fail(node, "rule has no `id` — name it, e.g. `id: cookie-notice`")
        rule_id = self.string(fields["id"], "rule id")
        if rule_id in seen or rule_id in RESERVED_IDS:
            raise self.fail(fields["id"], f"rule id {rule_id!r} is used twice — rename one")
        seen.add(rule_id)
        if "patterns" not in fields:
            raise self.fail(node, f"rule {rule_id!r} has no `patterns` — add a list of regexes")
        patterns = self.patterns(fields["patterns"], f"rule {rule_id!r}")
        if not patterns:
            raise self.fail(fields["patterns"], f"rule {rule_id!r} has no patterns — add one")
        max_chars = DEFAULT_MAX_CHARS
        if "max_chars" in fields:
            raw = fields["max_chars"]
            if raw.tag != "tag:yaml.org,2002:int" or int(raw.value) <= 0:
                raise self.fail(raw, f"max_chars of {rule_id!r} must be a positive integer")
            max_chars = int(raw.value)
        until_blank = False
        if "then" in fields:
            then = self.string(fields["then"], f"`then` of {rule_id!r}")
            if then not in _THEN_VALUES:
                raise self.fail(fields["then"], f"unknown `then: {then}` — use drop-until-blank")
            until_blank = True
        return Rule(rule_id, tuple(patterns), max_chars, until_blank)


def find_site_marker(lines: Sequence[str]) -> tuple[str | None, int | None]:
    """The site named by a `Source: <site-id>` first line, and that line's index."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _SITE_MARKER_RE.fullmatch(line.strip())
        return (match.group(1).lower(), index) if match else (None, None)
    return None, None


@functools.lru_cache(maxsize=1)
def default_rules() -> BoilerplateRules:
    """The packaged rules, read once per process."""
    return load_rules()
