"""`monitor reprocess` gives stored articles the current rules' tracking fields (metric, scope,
period, canonical value, claim key) without refetching, and keeps every review."""

from click.testing import CliRunner
from support import FIXTURES

from monitor.cli.main import cli
from monitor.ingest.document import analyse, ingest
from monitor.sources.local import read_local
from monitor.storage.connection import open_db

PAGE = FIXTURES / "net" / "solid-state-pilot-line.html"
TRACKING = ("subject", "metric", "scope", "period", "canonical_value", "canonical_unit", "claim_key")


def test_reprocess_fills_the_tracking_fields_and_keeps_reviews(db_path):
    db = open_db(db_path)
    article_id = ingest(str(PAGE), db=db).article_id
    # as a database stored before migration 0005 holds them: no tracking fields yet
    db.execute(f"UPDATE claims SET {', '.join(f'{name} = NULL' for name in TRACKING)}")
    reviewed = db.execute("SELECT id FROM claims WHERE kind = 'quantity' ORDER BY start LIMIT 1").fetchone()[0]
    db.execute("UPDATE claims SET review_status = 'accepted', reviewer = 'ana', review_note = 'checked' "
               "WHERE id = ?", [reviewed])

    result = CliRunner().invoke(cli, ["--db", str(db_path), "reprocess"])
    assert result.exit_code == 0, result.output

    row = db["claims"].get(reviewed)
    assert (row["review_status"], row["reviewer"], row["review_note"]) == ("accepted", "ana", "checked")
    assert db["articles"].get(article_id)["raw_html"]  # reprocessed from the page as fetched
    expected = analyse(read_local(PAGE)).claims
    got = list(db.query(f"SELECT kind, text, {', '.join(TRACKING)} FROM claims ORDER BY start, \"end\", id"))
    assert [(c.kind, c.text, *(getattr(c, n) for n in TRACKING)) for c in sorted(expected, key=lambda c: (c.start, c.end))] == [
        tuple(r.values()) for r in got]


def test_reprocess_reads_figures_by_the_stored_date_and_headline(db_path, tmp_path):
    # a page that names neither its date nor its headline: the feed entry gave them when stored
    page = tmp_path / "undated.html"
    page.write_text("<html><body><article><p>Makers shipped 5 GWh of the cells last year, twice as "
                    "much as before, and they expect to ship more as factories ramp up.</p>"
                    "<p>The chemistry needs no lithium, which keeps costs down for grid storage."
                    "</p></article></body></html>", encoding="utf-8")
    db = open_db(db_path)
    article_id = ingest(str(page), db=db).article_id
    db.execute("UPDATE articles SET published = '2023-06-01', title = 'Sodium-ion cells reach the market' "
               "WHERE id = ?", [article_id])

    result = CliRunner().invoke(cli, ["--db", str(db_path), "reprocess", "--article", str(article_id)])
    assert result.exit_code == 0, result.output

    figure = db.execute("SELECT subject, period FROM claims WHERE kind = 'quantity' AND text LIKE '5 GWh%'").fetchone()
    assert figure == ("sodium-ion", "2022")
    stored = db["articles"].get(article_id)
    assert (stored["published"], stored["title"]) == ("2023-06-01", "Sodium-ion cells reach the market")
