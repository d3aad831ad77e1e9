"""Article text and metadata from HTML pages: what `parse_article` keeps and what it leaves out."""

from __future__ import annotations

import json

import pytest

from support.loopback import Response

from monitor.article.extract import parse_article
from monitor.errors import ExtractError
from monitor.models import Fetched

BODY = (
    "<p>Sodium-ion cells from the new line in Hefei will cost about $58/kWh at the pack level, the "
    "company told investors on Tuesday, well below the lithium iron phosphate packs it sells now.</p>"
    "<p>\"We expect the first cars with these packs on the road before the end of next year,\" said "
    "Wu Kai, the chief scientist, adding that cold-weather range had been the hardest problem.</p>"
    "<p>Analysts at the bank expect sodium-ion to take 10% of the stationary storage market by 2030, "
    "though far less of the car market, where energy density still matters more than price.</p>"
)


def page(head: str, body: str = BODY, lang: str = "en") -> bytes:
    related = "".join(f'<li><a href="/story/{n}">Related story number {n}</a></li>' for n in range(8))
    return (
        f'<!doctype html><html lang="{lang}"><head>{head}</head><body>'
        '<nav><a href="/">Home</a> <a href="/energy">Energy</a></nav>'
        f"<main><article><h1>Sodium-ion packs go on sale</h1>{body}</article></main>"
        f'<aside><h2>More stories</h2><ul>{related}</ul></aside>'
        "<footer>Copyright Grid Desk Media. All rights reserved.</footer></body></html>"
    ).encode()


def parse(body: bytes, url: str = "https://griddesk.example/energy/2026/03/sodium-ion-packs"):
    return parse_article(Fetched(url=url, final_url=url, body=body, content_type="text/html"))


def test_meta_tags_give_title_author_date_canonical_and_site() -> None:
    article = parse(
        page(
            "<title>Sodium-ion packs go on sale | Grid Desk</title>"
            '<meta property="og:title" content="Sodium-ion packs go on sale">'
            '<meta property="og:site_name" content="Grid Desk">'
            '<meta name="author" content="Maria Lindqvist">'
            '<meta property="article:published_time" content="2026-03-17T06:30:00Z">'
            '<link rel="canonical" href="https://griddesk.example/energy/sodium-ion-packs">'
        )
    )
    assert article.title == "Sodium-ion packs go on sale"
    assert article.author == "Maria Lindqvist"
    assert article.published == "2026-03-17"
    assert article.canonical_url == "https://griddesk.example/energy/sodium-ion-packs"
    assert article.source == "Grid Desk"
    assert article.language == "en"


def test_json_ld_gives_the_author_when_meta_tags_do_not() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Sodium-ion packs go on sale",
        "datePublished": "2026-03-17T06:30:00+01:00",
        "author": {"@type": "Person", "name": "Tomasz Nowak"},
        "publisher": {"@type": "Organization", "name": "Grid Desk"},
    }
    article = parse(page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert article.author == "Tomasz Nowak"
    assert article.published == "2026-03-17"
    assert article.title == "Sodium-ion packs go on sale"


def test_a_bare_page_falls_back_to_its_heading_url_date_and_host() -> None:
    url = "https://www.griddesk.example/2026/03/17/sodium-ion-packs"
    article = parse(page(""), url=url)
    assert article.title == "Sodium-ion packs go on sale"
    assert article.published == "2026-03-17"
    assert article.author is None
    assert article.canonical_url == url
    assert article.source == "griddesk.example"


def test_text_keeps_the_story_and_drops_navigation_related_links_and_footer() -> None:
    article = parse(page("<title>Sodium-ion packs go on sale</title>"))
    assert "$58/kWh" in article.text
    assert "Wu Kai" in article.text
    assert "10% of the stationary storage market" in article.text
    for boilerplate in ("Related story", "More stories", "Copyright", "Home"):
        assert boilerplate not in article.text
    assert not article.text.startswith("Sodium-ion packs go on sale")  # the headline is not a claim


def test_malformed_json_ld_does_not_cost_the_article() -> None:
    article = parse(page('<script type="application/ld+json">{"@type": "NewsArticle", "author": </script>'))
    assert "$58/kWh" in article.text


@pytest.mark.parametrize(
    "body",
    [
        "<form><input name='user'><button>Sign in</button></form>",
        "<nav><a href='/'>Home</a> <a href='/energy'>Energy</a></nav>",
        "<div class='consent'><p>We use cookies to improve your experience. Accept all?</p></div>",
    ],
)
def test_a_page_without_article_text_is_refused(body: str) -> None:
    with pytest.raises(ExtractError, match="no article text"):
        parse(f"<html><head><title>Grid Desk</title></head><body>{body}</body></html>".encode())


def test_an_article_in_a_language_written_without_spaces_is_kept() -> None:
    body = (
        "<p>電池メーカー大手は月曜日、次世代の全固体電池を二〇二七年から量産すると発表した。"
        "新工場の生産能力は年間十ギガワット時で、主に国内の自動車メーカーに供給する計画だという。</p>"
        "<p>同社の社長は記者会見で、価格はリン酸鉄リチウム電池と同じ水準まで下げられるとの見通しを示し、"
        "充電時間も従来の半分以下になると説明した。</p>"
    )
    article = parse(page("<title>全固体電池</title>", body=body, lang="ja"))
    assert "全固体電池" in article.text and article.language == "ja"


def test_a_short_news_brief_is_kept() -> None:
    brief = (
        "<p>LG Energy Solution will supply 50 GWh of cylindrical cells to a US carmaker from 2027 "
        "under a deal announced on Friday, the company said in a filing.</p>"
    )
    assert "50 GWh" in parse(page("<title>Brief</title>", body=brief)).text


NAIVE = BODY.replace("Analysts at the bank", "The naïve view of analysts at the bank").replace(
    "Wu Kai", "Zoë Müller"
)


@pytest.mark.parametrize(
    "head, encoding, header",
    [
        ("", "iso-8859-1", "text/html; charset=ISO-8859-1"),  # the page names no charset
        ("", "windows-1252", "text/html; charset=windows-1252"),
        ('<meta charset="utf-8">', "windows-1252", 'text/html; charset="windows-1252"'),  # the page is wrong
        ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', "iso-8859-1", "text/html;charset=iso-8859-1"),
    ],
)
def test_the_charset_of_the_http_header_decodes_a_page_that_names_none_or_the_wrong_one(
    server, head, encoding, header
):
    from monitor.config import Settings
    from monitor.sources.http import fetch, make_client

    server.routes["/p"] = Response(body=page(head, NAIVE).decode().encode(encoding), content_type=header)
    settings = Settings()
    with make_client(settings) as client:
        article = parse_article(fetch(server.url("/p"), client=client, settings=settings))
    assert "The naïve view" in article.text and "Zoë Müller" in article.text


def test_a_utf8_page_mislabelled_latin1_by_its_server_stays_utf8():
    fetched = Fetched(
        url="https://griddesk.example/p", final_url="https://griddesk.example/p",
        body=page('<meta charset="utf-8">', NAIVE), content_type="text/html",
        headers={"content-type": "text/html; charset=iso-8859-1"},
    )
    assert "The naïve view" in parse_article(fetched).text


def test_plain_text_is_read_in_the_charset_of_its_header():
    text = "CATL said the naïve estimate of 160 Wh/kg for its sodium-ion cells was now out of date. " * 3
    fetched = Fetched(
        url="https://griddesk.example/t.txt", final_url="https://griddesk.example/t.txt",
        body=text.encode("iso-8859-15"), content_type="text/plain",
        headers={"content-type": "text/plain; charset=iso-8859-15"},
    )
    assert parse_article(fetched).text == text.strip()
