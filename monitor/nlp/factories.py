"""Every spaCy factory of the rules, registered in one function, as spaCy's own
`spacy/pipeline/factories.py` does: components never register themselves, so none imports the
pipeline and nothing imports in a circle. Each factory receives the rules folder already resolved.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from monitor.nlp.companies.finder import CompanyFinder
from monitor.nlp.linker import ClaimLinker
from monitor.nlp.quantities.finder import QuantityFinder
from monitor.nlp.quantities.rules import QuantityRules
from monitor.nlp.quotes.finder import QuoteFinder
from monitor.nlp.quotes.vocabulary import load_vocabulary
from monitor.nlp.sentences import SentenceSplitter

# factory names in pipeline order; the sentence splitter runs first where no parser sets sentences
SENTENCES = "monitor_sentences"
COMPONENTS = ("monitor_companies", "monitor_quantities", "monitor_quotes", "monitor_claims")


def make_sentence_splitter(nlp: Language, name: str, rules_dir: str) -> SentenceSplitter:
    return SentenceSplitter(Path(rules_dir))


def make_companies_finder(nlp: Language, name: str, rules_dir: str) -> CompanyFinder:
    return CompanyFinder(nlp, Path(rules_dir))


def make_quantities_finder(nlp: Language, name: str, rules_dir: str) -> QuantityFinder:
    return QuantityFinder(QuantityRules(Path(rules_dir)))


def make_quotes_finder(nlp: Language, name: str, rules_dir: str) -> QuoteFinder:
    return QuoteFinder(load_vocabulary(Path(rules_dir)))


def make_claim_linker(nlp: Language, name: str, rules_dir: str) -> ClaimLinker:
    return ClaimLinker.load(nlp, Path(rules_dir))


FACTORIES = {
    SENTENCES: make_sentence_splitter,
    "monitor_companies": make_companies_finder,
    "monitor_quantities": make_quantities_finder,
    "monitor_quotes": make_quotes_finder,
    "monitor_claims": make_claim_linker,
}


def register_factories() -> None:
    """Register every factory with spaCy once; later calls find them registered and do nothing."""
    for name, make in FACTORIES.items():
        if not Language.has_factory(name):
            Language.factory(name, default_config={"rules_dir": None}, func=make)
