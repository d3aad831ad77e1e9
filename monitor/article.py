"""Article text and metadata from fetched bytes: trafilatura for HTML, plain text used as is."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import trafilatura

from .errors import ExtractError
from .models import Article, Fetched

log = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}
TEXT_TYPES = {"text/plain"}


def decode_text(body: bytes) -> str:
    """Plain text as UTF-8 (with or without BOM), falling back to cp1252 for old files."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def parse_article(fetched: Fetched) -> Article:
    """One Article from a fetched document; raises ExtractError when there is no article text."""
    if fetched.content_type in TEXT_TYPES:
        return _text_article(fetched)
    if fetched.content_type not in HTML_TYPES:
        raise ExtractError(f"{fetched.url}: not an HTML page ({fetched.content_type})")
    return _html_article(fetched)


def _text_article(fetched: Fetched) -> Article:
    text = decode_text(fetched.body).replace("\r\n", "\n").strip()
    if not text:
        raise ExtractError(f"{fetched.url}: the file holds no text")
    first_line = text.split("\n", 1)[0].strip()
    title = first_line if len(first_line) < 200 and "\n" in text else None
    return Article(url=fetched.final_url, text=text, title=title, source=_host(fetched.final_url))


def _html_article(fetched: Fetched) -> Article:
    document = trafilatura.bare_extraction(
        fetched.body,
        url=fetched.final_url if fetched.final_url.startswith("http") else None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
    )
    text = (document.text or "").strip() if document is not None else ""
    text = _drop_headline(text, document.title if document is not None else None)
    if not text:
        raise ExtractError(f"{fetched.url}: no article text could be extracted")
    canonical = document.url if document.url and document.url.startswith("http") else None
    return Article(
        url=fetched.final_url,
        text=text,
        title=document.title,
        author=document.author,
        published=document.date,
        canonical_url=canonical,
        language=document.language or _declared_language(fetched.body),
        source=document.sitename or document.hostname or _host(fetched.final_url),
        raw_html=fetched.body,
    )


def _drop_headline(text: str, title: str | None) -> str:
    """Drop a leading line that repeats the title: headlines are not claims the article makes."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.strip()
    return text


_LANG = re.compile(rb"<html[^>]*?\slang=[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)


def _declared_language(body: bytes) -> str | None:
    """The page's own <html lang> (trafilatura only guesses language with an optional package)."""
    match = _LANG.search(body[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None
