"""Database figures at scale: fill a database with 1,000,000 claims over 100,000 articles, then time
every canned query of db/metadata.yml and a full-text search, and print the size per 1,000 articles.

    .venv/bin/python benchmarks/db_queries.py [--articles 100000] [--claims-per-article 10] [--db PATH]

Goal: each query under 100 ms. Figures are printed, never asserted. The database is built through
the real schema (migrations, FTS triggers) in one transaction; an existing file of the right size
is reused unless --rebuild is given.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import yaml

from monitor.resources import db_dir
from monitor.storage.connection import open_db, transaction

COMPANIES = [
    "CATL",
    "BYD",
    "LG Energy Solution",
    "Panasonic",
    "SK On",
    "Samsung SDI",
    "Northvolt",
    "Tesla",
    "Ford",
    "General Motors",
    "Volkswagen",
    "Stellantis",
    "Toyota",
    "Hyundai",
    "Gotion",
    "CALB",
    "EVE Energy",
    "Sunwoda",
    "Farasis",
    "Envision AESC",
    "QuantumScape",
    "Solid Power",
    "Albemarle",
    "Ganfeng",
    "Tianqi",
    "SQM",
    "Umicore",
    "Redwood Materials",
    "Li-Cycle",
    "Freyr",
    "Verkor",
    "ACC",
    "Rivian",
    "Lucid",
    "Mercedes-Benz",
    "BMW",
    "Renault",
    "Nissan",
    "Honda",
    "Xiaomi",
]
MEASURES = [
    "global EV battery market",
    "global cell capacity",
    "market share",
    "lithium supply",
    "energy density gain",
    "cost reduction",
    "revenue growth",
    "cathode output",
    "gross margin",
    "installations",
    "recycling rate",
    "charging speed gain",
    "European market",
    "US market",
    "Chinese market",
    "LFP share",
    "sodium-ion share",
    "order backlog",
    "capacity utilisation",
    "price drop",
]
METRICS = ["market_share", "capacity_share", "manufacturing_capacity", "pack_price", "sales", "revenue",
           "energy_density", "range"]
SCOPES = ["", "cells", "packs", "outside China"]
SOURCES = [f"outlet{n}.example" for n in range(60)]
UNTRACKED = (None,) * 6
WORDS = (
    "battery cell plant capacity lithium cathode anode sodium solid-state gigafactory supply chain "
    "electric vehicle charging range cost price output demand investment production recycling"
).split()


def fill(path: Path, articles: int, per_article: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    speakers = [f"Speaker {n}" for n in range(500)]
    db = open_db(path)
    conn = db.conn
    start = time.perf_counter()
    batch = 2000
    for first in range(0, articles, batch):
        with transaction(db):
            a_rows, c_rows = [], []
            for n in range(first, min(first + batch, articles)):
                day = rng.randrange(730)
                published = time.strftime("%Y-%m-%d", time.gmtime(1704067200 + day * 86400))
                companies = rng.sample(COMPANIES, 4)
                text = " ".join(rng.choice(WORDS) for _ in range(220))
                text = (
                    f"{companies[0]} and {companies[1]} said {text} {companies[2]} {companies[3]}."
                )
                a_rows.append(
                    (
                        n + 1,
                        f"https://{rng.choice(SOURCES)}/a/{n}",
                        f"https://x.example/a/{n}",
                        f"{companies[0]} {rng.choice(WORDS)} {rng.choice(WORDS)}",
                        published,
                        published + "T12:00:00Z",
                        "en",
                        rng.choice(SOURCES),
                        text,
                        f"h{n}",
                        1,
                    )
                )
                for k in range(per_article):
                    kind = (
                        "company",
                        "company",
                        "company",
                        "company",
                        "quantity",
                        "quantity",
                        "quantity",
                        "quote",
                        "quote",
                        "outlet",
                    )[k % 10]
                    status = rng.choices(("pending", "accepted", "rejected"), (70, 25, 5))[0]
                    company = rng.choice(companies)
                    if kind == "quantity":
                        value = rng.choice((12, 20, 25, 37, 40, 50, 77, 83))
                        # a claim: ~8,000 keys over 300,000 figures, 40 figures a claim
                        metric, scope = rng.choice(METRICS), rng.choice(SCOPES)
                        period = f"{published[:4]}-Q{rng.randrange(1, 5)}"
                        key = f"{company.lower()}|{metric}|{scope.lower()}|{period.lower()}"
                        tracked = (metric, scope or None, period, value, "%", key)
                        c_rows.append(
                            (
                                n + 1,
                                kind,
                                f"{value}%",
                                0,
                                3,
                                value,
                                "%",
                                rng.choice(MEASURES),
                                None,
                                company,
                                None,
                                status,
                                *tracked,
                            )
                        )
                    elif kind == "quote":
                        c_rows.append(
                            (
                                n + 1,
                                kind,
                                " ".join(rng.choice(WORDS) for _ in range(12)),
                                0,
                                60,
                                None,
                                None,
                                None,
                                rng.choice(speakers),
                                None,
                                company,
                                status,
                                *UNTRACKED,
                            )
                        )
                    else:
                        c_rows.append(
                            (
                                n + 1,
                                kind,
                                company,
                                0,
                                len(company),
                                None,
                                None,
                                None,
                                None,
                                None,
                                company,
                                status,
                                *UNTRACKED,
                            )
                        )
            conn.executemany(
                "INSERT INTO articles (id, url, canonical_url, title, published, fetched, language, source, text, "
                "content_hash, battery_relevant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a_rows,
            )
            conn.executemany(
                'INSERT INTO claims (article, kind, text, start, "end", value, unit, object, speaker, subject, '
                "company, review_status, metric, scope, period, canonical_value, canonical_unit, claim_key, "
                "rule, rules_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', 'b')",
                c_rows,
            )
    conn.execute("ANALYZE")
    print(
        f"filled {articles:,} articles, {articles * per_article:,} claims in {time.perf_counter() - start:.0f} s"
    )


def timed(conn, sql: str, params: dict, repeat: int = 5) -> tuple[float, int]:
    """Median milliseconds of `repeat` runs (after one warm-up) and the row count."""
    rows = conn.execute(sql, params).fetchall()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        conn.execute(sql, params).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(rows)


def run_queries(path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # as Datasette reads
    queries = yaml.safe_load((db_dir() / "metadata.yml").read_text())["databases"]["monitor"][
        "queries"
    ]
    params = {
        "review_queue": [{"kind": ""}, {"kind": "quote"}],
        "claims_by_company_month": [{"company": "CATL"}],
        "latest_quotes": [{"speaker": ""}, {"speaker": "Speaker 42"}],
        "market_share_percentages": [{"company": ""}, {"company": "BYD"}],
        "tracked_claims": [{"subject": "", "metric": ""}, {"subject": "catl", "metric": "pack_price"}],
        "conflicting_figures": [
            {"subject": "", "metric": "", "tolerance": ""},
            {"subject": "catl", "metric": "", "tolerance": ""},
            {"subject": "catl", "metric": "range", "tolerance": "0.1"},
        ],
        "search": [{"q": "solid-state"}, {"q": "gigafactory recycling"}],
    }
    print(f"{'query':<28} {'params':<28} {'ms':>8} {'rows':>6}")
    for name, query in queries.items():
        if query.get("write"):
            continue
        for p in params.get(name, [{}]):
            ms, n = timed(conn, query["sql"], p)
            flag = "" if ms < 100 else "  (over 100 ms)"
            print(f"{name:<28} {str(p):<28} {ms:8.1f} {n:>6}{flag}")
    extra = {
        "claim_groups (one claim)": ("SELECT * FROM claim_groups WHERE claim_key = 'catl|range|cells|2025-q1'", {}),
        "conflicts of one claim": ("SELECT * FROM conflicting_figures WHERE claim_key = 'catl|range|cells|2025-q1'", {}),
        "view company_months": ("SELECT * FROM company_months", {}),
        "fts articles": (
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'gigafactory' LIMIT 100",
            {},
        ),
    }
    for name, (sql, p) in extra.items():
        ms, n = timed(conn, sql, p)
        print(f"{name:<28} {'':<28} {ms:8.1f} {n:>6}{'' if ms < 100 else '  (over 100 ms)'}")
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    size = path.stat().st_size
    print(
        f"database {size / 2**20:,.0f} MiB for {articles:,} articles: {size / 2**20 / articles * 1000:.2f} MiB per 1,000 articles"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims-per-article", type=int, default=10)
    parser.add_argument("--db", type=Path, default=Path("/tmp/ev-claims-bench.db"))
    parser.add_argument(
        "--rebuild", action="store_true", help="Build the database again even if it exists."
    )
    args = parser.parse_args()
    if args.rebuild or not args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        fill(args.db, args.articles, args.claims_per_article)
    else:
        open_db(args.db)  # apply any newer migration and views
    run_queries(args.db)


if __name__ == "__main__":
    main()
