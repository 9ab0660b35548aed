"""Articles from web pages: the story's text, without navigation and site boilerplate."""

from __future__ import annotations

from l10n.articles.boilerplate import BoilerplateRules, default_rules, strip_boilerplate
from l10n.articles.errors import InputError
from l10n.models import Article, SuspectLine


def article_from_html(
    html: str | bytes,
    *,
    id: str,
    input_path: str,
    site: str | None = None,
    rules: BoilerplateRules | None = None,
) -> Article:
    """Main text of a web page: trafilatura drops navigation, asides and footers, then the
    boilerplate cleaner drops what it left inside the article (line numbers in
    ``dropped_lines`` count lines of trafilatura's text)."""
    import trafilatura

    try:
        text = trafilatura.extract(
            html, include_comments=False, output_format="txt", include_tables=False
        )
        metadata = trafilatura.extract_metadata(html)
    except Exception as exc:  # a malformed page must not stop the rest of the batch
        raise InputError(
            input_path, None, f"could not parse the page ({exc}) — save the story as .txt"
        ) from exc
    if not text or not text.strip():
        raise InputError(
            input_path,
            None,
            "no article text found in the page — save the story as .txt and pass that",
        )
    title = " ".join((metadata.title or "").split()) if metadata is not None else ""
    suspects: list[SuspectLine] = []
    kept, dropped = strip_boilerplate(
        text.splitlines(), rules or default_rules(), site, title=title or None, suspects=suspects
    )
    paragraphs = [" ".join(line.split()) for line in kept if line.strip()]
    if not paragraphs and not title:
        raise InputError(
            input_path, None, "only boilerplate found in the page — save the story as .txt"
        )
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    elif not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return Article(
        id=id,
        title=title,
        paragraphs=paragraphs,
        input_path=input_path,
        site=site,
        dropped_lines=dropped,
        suspect_lines=suspects,
    )
