"""Rules-stage throughput against spaCy's bare tokenizer, on the texts trafilatura extracts from the corpus.

Prints articles/second for the bare `spacy.blank("en")` tokenizer and for the whole rules stage
(sentences, quotes, quantities, companies, claim linking), measured on the same texts in the same
run on one core, and their ratio. Goal: ratio >= 0.6 and rules >= 100 articles/s.

Two regimes are printed, because spaCy's tokenizer caches every word it has split: a first pass
over the texts with fresh objects (as the daemon meets new articles; the reference figure of about
160 articles/s for the bare tokenizer is this one), and the best of several further passes, where
the tokenizer reads every word from its cache but the rules have no such shortcut.

    .venv/bin/python benchmarks/rules_speed.py [--pages ../shared/corpus/pages/html] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import time
from pathlib import Path

import spacy
import trafilatura

from monitor.nlp.pipeline import extract_claims
from monitor.nlp.pipeline import load_pipeline

DEFAULT_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pages" / "html"


def corpus_texts(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.glob("*.html.gz")):
        text = trafilatura.extract(gzip.decompress(path.read_bytes()))
        if text:
            texts.append(text)
    return texts


def best_rate(work, texts: list[str], rounds: int) -> float:
    """Articles per second of the fastest round (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            work(text)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of *.html.gz pages")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best is reported")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    texts = corpus_texts(args.pages)
    tokenizer = spacy.blank("en").tokenizer
    nlp = load_pipeline()
    print(f"texts: {len(texts)} ({sum(map(len, texts)) / len(texts):,.0f} characters on average)")
    for regime, rounds in (("first pass, fresh caches", 1), (f"best of {args.rounds} warm passes", args.rounds)):
        tokens = best_rate(tokenizer, texts, rounds)
        rules = best_rate(lambda t: extract_claims(t, nlp=nlp), texts, rounds)
        print(f"{regime}:")
        print(f"  bare tokenizer: {tokens:7.1f} articles/s")
        print(f"  rules stage:    {rules:7.1f} articles/s")
        print(f"  ratio:          {rules / tokens:7.2f}  (goal >= 0.60, and rules >= 100 articles/s)")


if __name__ == "__main__":
    main()
