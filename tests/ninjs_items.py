"""ninjs items written for these tests, one per version's spelling (no agency's text)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HTML_BODY = (
    '<section class="story"><p>Die Stadt <em>Lindau</em> hat am Montag einen neuen Hafen '
    'eröffnet. Der Bürgermeister sprach von einem <a href="https://example.org/hafen">'
    "großen Tag</a> für die Region.</p><h2>Kosten</h2><p>Der Bau kostete 12 Millionen Euro "
    "und dauerte drei Jahre.</p><ul><li>Neue Liegeplätze für 80 Boote</li>"
    "<li>Ein Fährterminal am Ufer</li></ul></section>"
)
HTML_PARAGRAPHS = 5  # p, h2, p, li, li

V1_ITEM: dict[str, Any] = {
    "uri": "urn:newsml:example.org:20260301:lindau-hafen",
    "type": "text",
    "version": "3",
    "versioncreated": "2026-03-01T09:30:00Z",
    "language": "de",
    "headline": "Lindau eröffnet neuen Hafen am Bodensee",
    "body_html": HTML_BODY,
    "subject": [{"name": "Verkehr", "code": "medtop:20000344"}],
    "place": [{"name": "Lindau"}],
    "person": [{"name": "Anna Berger", "rel": "mentions"}],
    "urgency": 4,
    "pubstatus": "usable",
    "associations": {
        "featureimage": {"uri": "urn:newsml:example.org:20260301:lindau-photo", "type": "picture"}
    },
}

V2_ITEM: dict[str, Any] = {
    "uri": "http://news.example.org/items/2026/lindau-hafen-2",
    "type": "text",
    "standard": {"name": "ninjs", "version": "2.2"},
    "versioncreated": "2026-03-01T10:00:00Z",
    "pubstatus": "usable",
    "urgency": 3,
    "language": "de",
    "headlines": [
        {"role": "main", "value": "Neuer Hafen in Lindau eröffnet"},
        {"role": "sub", "value": "Zwölf Millionen Euro für Liegeplätze und Fähre"},
    ],
    "bodies": [
        {"role": "main", "contenttype": "text/html", "value": HTML_BODY, "charcount": 300},
    ],
    "subjects": [{"name": "Verkehr", "uri": "http://cv.iptc.org/newscodes/mediatopic/20000344"}],
    "places": [{"name": "Lindau", "literal": "Lindau"}],
    "people": [{"name": "Anna Berger", "rel": "mentions"}],
    "altids": [{"role": "agency", "value": "EX-2026-0301-17"}],
}

V3_ITEM: dict[str, Any] = {
    "uri": "urn:example:no:2026:ferje-1",
    "type": "text",
    "versionCreated": "2026-03-01T11:00:00Z",
    "pubStatus": "usable",
    "urgency": 5,
    "language": "nb-NO",
    "edNote": "Oppdatert med pris.",
    "headlines": [{"role": "main", "value": "Ny ferje mellom Bergen og Stord fra våren"}],
    "descriptions": [
        {
            "role": "summary",
            "contentType": "text/plain",
            "value": "Fylkeskommunen har bestilt en ny elektrisk ferje som skal gå mellom "
            "Bergen og Stord fra april.",
        }
    ],
    "bodies": [
        {
            "role": "main",
            "contentType": "text/plain",
            "value": "Ferjen får plass til 120 biler og 300 passasjerer.\n\n"
            "Den skal lades ved kaia i Bergen mens bilene kjører om bord.",
            "charCount": 110,
        }
    ],
    "places": [{"name": "Vestland", "literal": "Vestland"}],
    "subjects": [{"name": "Samferdsel", "literal": "Samferdsel"}],
}

PICTURE_ITEM: dict[str, Any] = {
    "uri": "urn:newsml:example.org:20260301:lindau-photo",
    "type": "picture",
    "renditions": [{"name": "original", "href": "https://example.org/p.jpg", "width": 800}],
}

HEADLINE_ONLY: dict[str, Any] = {
    "uri": "urn:example:flash:1",
    "language": "de",
    "headlines": [{"value": "Eilmeldung: Hafen in Lindau eröffnet"}],
}


def write_items(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "v1": folder / "lindau-v1.json",
        "v2": folder / "lindau-v2.json",
        "v3": folder / "ferje-v3.json",
    }
    for key, item in (("v1", V1_ITEM), ("v2", V2_ITEM), ("v3", V3_ITEM)):
        files[key].write_text(json.dumps(item, ensure_ascii=False), "utf-8")
    return files
