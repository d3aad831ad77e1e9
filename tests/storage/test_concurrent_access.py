"""Reads and writes side by side: a reader process (as Datasette reads: mode=ro) while a writer stores."""

import subprocess
import sys
import textwrap

import pytest

from monitor.storage.connection import open_db

pytestmark = pytest.mark.slow

WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, "tests")
    from support import analyst_db
    from monitor.storage.connection import open_db
    from monitor.storage.articles import save_article
    db = open_db(sys.argv[1])
    for n in range(int(sys.argv[2])):
        for story in analyst_db.STORIES:
            copy = analyst_db.Story(story.url + f"?n={n}", story.source, story.published, story.title,
                                    story.text, story.claims)
            save_article(db, analyst_db.story_article(copy), analyst_db.story_claims(copy), rules_version="w")
    print("wrote", db["articles"].count)
""")

READER = textwrap.dedent("""
    import sqlite3, sys, time
    path, writer_done = sys.argv[1], sys.argv[2]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    seen, reads, deadline = set(), 0, time.monotonic() + 60
    import os
    while time.monotonic() < deadline:
        finished = os.path.exists(writer_done)
        seen.add(conn.execute("SELECT count(*) FROM claim_details").fetchone()[0])
        conn.execute("SELECT * FROM claim_groups").fetchall()
        conn.execute("SELECT * FROM conflicting_figures").fetchall()
        conn.execute("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'sodium'").fetchall()
        reads += 1
        if finished:
            break
    print("reads", reads, "distinct counts", len(seen))
""")


def test_a_reader_and_a_writer_process_both_finish_without_error(db_path, tmp_path):
    open_db(db_path)  # created and migrated, WAL on, before both start
    done = tmp_path / "writer-done"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db_path), str(done)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = subprocess.run(
        [sys.executable, "-c", WRITER, str(db_path), "40"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    done.touch()
    out, err = reader.communicate(timeout=90)
    assert writer.returncode == 0, writer.stderr
    assert reader.returncode == 0, err
    assert writer.stdout.split() == ["wrote", str(40 * 5)]
    reads, distinct = int(out.split()[1]), int(out.split()[-1])
    assert reads > 1 and distinct > 1  # the reader really read while rows were arriving


OPENER = textwrap.dedent("""
    import sys, time
    from monitor.storage.connection import open_db
    start = float(sys.argv[2])
    time.sleep(max(0.0, start - time.time()))  # all openers start together
    db = open_db(sys.argv[1])
    print(db.execute("SELECT max(version) FROM schema_version").fetchone()[0])
""")


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    """Two processes starting together failed one time in five ("table feeds already exists")."""
    import time

    from monitor.storage.migrations import migration_files

    newest = str(int(migration_files()[-1].name[:4]))
    for round_ in range(6):
        path = tmp_path / f"new-{round_}.db"
        start = time.time() + 1.5  # after every interpreter has started
        openers = [
            subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(start)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)
        ]
        results = [opener.communicate(timeout=60) for opener in openers]
        assert [opener.returncode for opener in openers] == [0, 0, 0], [err for _, err in results]
        assert [out.strip() for out, _ in results] == [newest] * 3
        conn = open_db(path).conn
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, int(newest) + 1))  # each applied once
