"""What a figure measures: among the metric rules of rules/metrics.json that accept the figure's
unit family, the one whose cue word governs it from nearest wins ("operating profit stood at 521.9
billion won", "an order backlog of 120 GWh", "controls 83% of cell-making capacity").
"""

from __future__ import annotations

from monitor.nlp.claims.lexicon import CUE, WORD, ClaimLexicon
from monitor.nlp.claims.reading import SentenceReading

# how much further a cue in another clause of the sentence counts than one in the figure's own;
# after the figure, further still: what governs a figure mostly comes before it
OTHER_CLAUSE = 100
OTHER_CLAUSE_AFTER = 150
# families whose figures may share a metric by ellipsis ("its share fell to 10.8%, a drop of 2.8 points")
SHARE_FAMILIES = frozenset({"percent", "points"})


def read_metric(lexicon: ClaimLexicon, text: str, reading: SentenceReading, start: int, end: int,
                family: str, clause: tuple[int, int], before: tuple[str, str] | None = None,
                earlier: tuple[str, str] | None = None) -> str | None:
    """The metric of the figure text[start:end] of unit family `family`; `before` is the (family,
    metric) of the figure before it in its sentence, which an elliptical figure ("and for 45.1%
    in China alone", "up from 36.8% a year earlier") takes when its own clause names none;
    `earlier`, that of the last figure of the sentences just before, which a figure only a weak
    cue governs takes ("80% of the world's cell capacity. ... The second is 69%: the share China
    would keep"). None when no cue governs it: the family's default is then the caller's to choose."""
    words_in_clause = {text[t.start:t.end].lower() for t in reading.terms
                       if clause[0] <= t.start and t.end <= clause[1]
                       and (t.sense(WORD) is not None or t.sense(CUE) is not None)}
    of_after = text.startswith(" of ", end)
    best, best_key, best_cue, best_inside = None, None, "", False
    for term in reading.terms:
        inside = clause[0] <= term.start and term.end <= clause[1]
        # a cue inside the figure ("about 1,700 jobs") governs it most closely
        distance = start - term.end if term.end <= start else max(0, term.start - end)
        if not inside:
            distance += OTHER_CLAUSE if term.end <= start else OTHER_CLAUSE_AFTER
        for sense in term.senses:
            if sense.role != CUE:
                continue
            index = int(sense.value)
            rule = lexicon.rules[index]
            if family not in rule.families or (rule.clause_only and not inside):
                continue
            if rule.after_only and term.start <= start:
                continue
            if rule.without and rule.without & words_in_clause:
                continue
            if rule.needs and not (rule.needs & words_in_clause or ("of" in rule.needs and of_after)):
                continue
            key = (distance, index)
            if best_key is None or key < best_key:
                best, best_key = rule.metric, key
                best_cue, best_inside = text[term.start:term.end].lower(), inside
    if before is not None and _elliptical(family, before[0]) and (
            best is None or not best_inside or best_cue in lexicon.weak_cues):
        return before[1]
    if before is None and earlier is not None and best_cue in lexicon.weak_cues and _elliptical(family, earlier[0]):
        return earlier[1]
    return best


def _elliptical(family: str, before: str) -> bool:
    return family == before or (family in SHARE_FAMILIES and before in SHARE_FAMILIES)
