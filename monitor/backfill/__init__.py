"""Backfill from web archives: WARC files read, gated, extracted and stored (issue 14)."""
