"""Which site a URL belongs to, and so whether a page may speak for another URL: a page's
`<link rel=canonical>` is believed only when it names a URL on the page's own site.

A site is a registered domain (`news.bbc.co.uk` and `www.bbc.co.uk` are `bbc.co.uk`, by the
Public Suffix List that `tld` ships); an address or a single-label host is a site of its own.
Publishers spread over several domains are listed as groups in the settings.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from tld import get_fld

log = logging.getLogger(__name__)


def site_of(url: str) -> str | None:
    """The registered domain of a URL's host, or the host itself for an address; None without one."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    domain = get_fld(f"http://{host}", fail_silently=True)
    if domain:
        return domain
    # a suffix the list does not know (`.example`, `.internal`): its default rule "*" makes the
    # last label the public suffix
    labels = host.split(".")
    return ".".join(labels[-2:])


def same_site(url: str, other: str, *, site_groups: Iterable[Iterable[str]] = ()) -> bool:
    """Whether two URLs belong to one site, or to sites listed together in one group."""
    first, second = site_of(url), site_of(other)
    if first is None or second is None:
        return False
    if first == second:
        return True
    return any(
        first in sites and second in sites
        for sites in ({site_of(f"http://{s}") for s in group} for group in site_groups)
    )


def trusted_canonical(
    declared: str | None, page_url: str, *, site_groups: Iterable[Iterable[str]] = ()
) -> str | None:
    """The canonical URL a page declares, when it is on the page's own site (or one grouped with
    it); None otherwise, so that the URL the page was fetched from stands. A hostile page naming a
    real story as its canonical would otherwise take that story's place."""
    if not declared:
        return None
    if same_site(declared, page_url, site_groups=site_groups):
        return declared
    log.info(
        "%s: ignoring its canonical URL %s, on another site",
        page_url,
        declared,
        extra={"event": "canonical_ignored", "page": page_url, "canonical": declared},
    )
    return None
