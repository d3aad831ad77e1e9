"""OPML, the subscription-list format feed readers import and export: feed lists read and written."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from monitor.errors import FeedError

log = logging.getLogger(__name__)


def read_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(feed URL, title) for every outline with an http(s) xmlUrl, at any depth, each URL once.

    defusedxml refuses entity declarations and external references, so an OPML file from a
    stranger cannot expand or read anything while it is parsed.
    """
    try:
        root = SafeET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"not an OPML file: {exc}") from None
    except DefusedXmlException as exc:
        raise FeedError(f"not an OPML file: forbidden XML construct ({type(exc).__name__})") from None
    if root.tag.lower() != "opml":
        raise FeedError(f"not an OPML file: the root element is <{root.tag}>, not <opml>")
    feeds: dict[str, str | None] = {}
    for outline in root.iter("outline"):
        attrs = {key.lower(): value.strip() for key, value in outline.attrib.items()}
        url = attrs.get("xmlurl")
        if not url:
            continue
        if not url.lower().startswith(("http://", "https://")):
            log.warning("OPML outline skipped, not an http(s) feed URL: %s", url)
            continue
        feeds.setdefault(url, attrs.get("title") or attrs.get("text") or None)
    return list(feeds.items())


def write_opml(feeds: Iterable[Mapping[str, Any]], *, title: str = "ev-claims-monitor feeds") -> str:
    """An OPML 2.0 document of `feeds` (rows with url, title and optionally site_url)."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = feed.get("title") or feed["url"]
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": feed["url"]}
        if feed.get("site_url"):
            attrs["htmlUrl"] = feed["site_url"]
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
