"""Removal of site furniture (menus, share bars, promos, credits, link lists) from scraped text.

Two layers decide together:

- explicit rules from a YAML file (``rules.py``), global and per site, so a
  desk can name a site's own furniture without a code change;
- a line classifier (``classifier.py``) that reads features of each line and
  its neighbours (length, sentence end, function-word density, a small
  call-to-action lexicon per language, position, runs, repetition) and so
  handles pages nobody wrote a rule for.

Every dropped line is reported with its 1-based line number and the reason
(rule id or ``class/feature``), so a reviewer can tell a missing story line
from removed boilerplate.
"""

from __future__ import annotations

from collections.abc import Sequence

from l10n.articles.boilerplate.classifier import classify
from l10n.articles.boilerplate.features import describe
from l10n.articles.boilerplate.lexicon import lexicon
from l10n.articles.boilerplate.rules import (
    DEFAULT_RULES_PATH,
    REPEATED_BLOCK,
    SITE_MARKER,
    BoilerplateError,
    BoilerplateRules,
    Rule,
    SiteRules,
    default_rules,
    find_site_marker,
    load_rules,
)
from l10n.models import DroppedLine, SuspectLine

__all__ = [
    "DEFAULT_RULES_PATH",
    "REPEATED_BLOCK",
    "SITE_MARKER",
    "BoilerplateError",
    "BoilerplateRules",
    "Rule",
    "SiteRules",
    "default_rules",
    "find_site_marker",
    "load_rules",
    "strip_boilerplate",
]


def strip_boilerplate(
    lines: Sequence[str],
    rules: BoilerplateRules,
    site: str | None,
    *,
    title: str | None = None,
    suspects: list[SuspectLine] | None = None,
) -> tuple[list[str], list[DroppedLine]]:
    """Drop boilerplate lines; kept lines keep their order and blank lines.

    ``title``, when the caller knows it (a web page's metadata), lets lines
    that merely restate it go. Line numbers in ``dropped`` are 1-based
    positions in ``lines``. ``suspects``, when given, receives the kept lines a
    boilerplate phrase named (possible leftovers for the reviewer), 1-based too.
    """
    reasons = _apply_rules(lines, rules, site)
    if rules.classifier_for(site):
        named: dict[int, str] = {}
        classify(lines, reasons, keep=rules.keep_for(site), title=title, suspects=named)
        if suspects is not None:
            suspects.extend(
                SuspectLine(i + 1, lines[i].strip(), rule)
                for i, rule in sorted(named.items())
                if i not in reasons
            )
    kept = [line for i, line in enumerate(lines) if i not in reasons]
    report = [DroppedLine(i + 1, lines[i].strip(), rule) for i, rule in sorted(reasons.items())]
    return kept, report


def _apply_rules(lines: Sequence[str], rules: BoilerplateRules, site: str | None) -> dict[int, str]:
    """The file's rules; ``then: drop-until-blank`` stops at a blank line or at prose."""
    active = rules.rules_for(site)
    reasons: dict[int, str] = {}
    block_rule: str | None = None
    lex = None
    for index, line in enumerate(lines):
        if not line.strip():
            block_rule = None
            continue
        rule = next((r for r in active if r.matches(line)), None)
        if rule is not None:
            reasons[index] = rule.id
            block_rule = rule.id if rule.until_blank else None
            continue
        if block_rule is not None:
            lex = lex or lexicon()
            if describe(index, line, lex).prose:
                block_rule = None
                continue
            reasons[index] = block_rule
    return reasons
