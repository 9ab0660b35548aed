"""The names panel: each name of a run (or one article), its renderings per language, where
each occurs, and what choosing one would rewrite — as plain data for the templates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from l10n.glossary import Glossary
from l10n.glossary.interchange import entries_to_yaml
from l10n.models import TranslatedArticle
from l10n.names.consistency import NameIndex
from l10n.names.suggest import suggest_entries
from l10n.review.decisions import version_of
from l10n.review.name_consistency import located, names_json


@dataclass
class NamesData:
    """The located renderings of some articles and the review version of each segment."""

    index: NameIndex = field(default_factory=NameIndex)
    versions: dict[tuple[str, str, int], str] = field(default_factory=dict)

    def add(self, translated: TranslatedArticle, glossary: Glossary | None) -> None:
        for row, _, occurrence in located(translated, glossary, unlocated=self.index.unlocated):
            self.index.add([occurrence])
            self.versions[(translated.id, row.lang, row.segment)] = version_of(row)


def names_data(articles: Iterable[TranslatedArticle], glossary: Glossary | None) -> NamesData:
    data = NamesData()
    for translated in articles:
        data.add(translated, glossary)
    return data


def _draft(data: NamesData, key: str, glossary: Glossary | None, run_id: str) -> str:
    """The `glossary suggest` entry (and its short forms) for one name, as YAML."""
    only = NameIndex([o for o in data.index.occurrences if o.key == key])
    entries = suggest_entries(only, glossary, run_id)
    if not entries:
        return ""
    source = glossary.source_language if glossary is not None else "en"
    return entries_to_yaml(entries, source_language=source)


def names_view(
    data: NamesData,
    glossary: Glossary | None,
    run_id: str,
    segment_href: Callable[[str, int, str], str],
    lang: str | None = None,
) -> list[dict[str, Any]]:
    """Each name with, per language, its renderings: count, links to the segments, and the
    segments (with their review versions) that choosing the rendering would rewrite."""
    groups = data.index.groups()
    out: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = names_json(data.index, lang)["names"]  # type: ignore[assignment]
    for item in items:
        form = str(item["source"])
        key = str(item.get("short_form_of") or form)
        languages = []
        for code, info in item["languages"].items():
            occurrences = groups.get((key, form, code), [])
            renderings = []
            for rendering in info["renderings"]:
                others = {
                    (o.article, o.segment): data.versions[(o.article, code, o.segment)]
                    for o in occurrences
                    if o.text != rendering["text"]
                }
                renderings.append(
                    {
                        **rendering,
                        "links": [
                            {"where": where, "href": segment_href(*_split(where), code)}
                            for where in rendering["segments"]
                        ],
                        "others": [
                            {"article": a, "segment": s, "base": v}
                            for (a, s), v in sorted(others.items())
                        ],
                    }
                )
            missing = info.get("not_located")
            if missing:
                missing = {
                    **missing,
                    "links": [
                        {"where": where, "href": segment_href(*_split(where), code)}
                        for where in missing["segments"]
                    ],
                }
            languages.append(
                {**info, "lang": code, "renderings": renderings, "not_located": missing}
            )
        out.append(
            {
                "source": form,
                "key": key,
                "type": item["type"],
                "glossary": item["glossary"],
                "short_form_of": item.get("short_form_of"),
                "consistent": all(lang_info["consistent"] for lang_info in languages),
                "languages": languages,
                "draft": ""
                if item["glossary"] or item.get("short_form_of")
                else _draft(data, key, glossary, run_id),
            }
        )
    return out


def _split(where: str) -> tuple[str, int]:
    article, _, segment = where.rpartition("#")
    return article, int(segment)
