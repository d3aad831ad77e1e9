"""`monitor serve`'s tracked-claims pages: the list of claims followed across outlets and one
claim's timeline, each outlet's figures over time with the conflicts marked."""

import asyncio
import re
from urllib.parse import quote

import pytest
from support import analyst_db
from support.analyst_db import CATL_SHARE, CHINA_CELLS

pytest.importorskip("datasette", reason="Datasette is the optional [ui] extra")

from monitor.web.serve import make_datasette  # noqa: E402


@pytest.fixture
def db_path(db_path):
    analyst_db.build(db_path).conn.close()
    return db_path


def get(ds, path):
    async def go():
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(go())


def test_the_list_shows_each_claim_with_sources_values_and_conflicts(db_path):
    page = get(make_datasette(db_path), "/-/claims")
    assert page.status_code == 200
    rows = re.findall(r'<tr class="claim" data-key="([^"]+)">(.*?)</tr>', page.text, flags=re.S)
    assert [key for key, _ in rows][:2] == [CHINA_CELLS, CATL_SHARE]
    china = rows[0][1]
    assert "83% (wire.example); 77% (daily.example)" in china
    assert 'class="conflicts disputed">1<' in china
    assert f'href="/-/claims/timeline?key={quote(CHINA_CELLS, safe="")}"' in page.text


def test_the_list_filters_by_subject(db_path):
    page = get(make_datasette(db_path), "/-/claims?subject=catl")
    assert re.findall(r'data-key="([^"]+)"', page.text) == [CATL_SHARE]


def test_a_timeline_draws_each_outlet_and_rings_the_conflicting_figures(db_path):
    page = get(make_datasette(db_path), f"/-/claims/timeline?key={quote(CHINA_CELLS, safe='')}")
    assert page.status_code == 200
    figures = re.findall(r'<circle class="figure( conflict)?" data-source="([^"]+)"', page.text)
    assert sorted(figures) == [(" conflict", "daily.example"), (" conflict", "wire.example")]
    assert page.text.count('class="conflict-pair"') == 1 and "1 conflict<" in page.text
    assert "China accounts for 83% of global cell capacity" in page.text  # a side's sentence
    assert "7.2%" in page.text


def test_an_agreed_claim_draws_no_conflict(db_path):
    page = get(make_datasette(db_path), f"/-/claims/timeline?key={quote(CATL_SHARE, safe='')}")
    assert 'class="figure conflict"' not in page.text and "conflict-pair" not in page.text
    assert "Every outlet agrees within 0.5%" in page.text


def test_the_served_tolerance_and_the_tolerance_asked_for_apply(db_path):
    key = quote(CHINA_CELLS, safe="")
    lenient = make_datasette(db_path, conflict_tolerance=0.1)
    assert "Every outlet agrees within 10%" in get(lenient, f"/-/claims/timeline?key={key}").text
    assert 'class="figure conflict"' in get(lenient, f"/-/claims/timeline?key={key}&tolerance=0.01").text
    assert 'class="conflicts">0<' in get(lenient, "/-/claims?subject=china").text


def test_an_unknown_claim_is_a_404_page(db_path):
    page = get(make_datasette(db_path), "/-/claims/timeline?key=atlantis%7Csales%7C%7C2025")
    assert page.status_code == 404 and "No such claim" in page.text


def test_the_menu_links_to_the_tracked_claims(db_path):
    assert 'href="/-/claims"' in get(make_datasette(db_path), "/").text
