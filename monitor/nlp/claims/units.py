"""A figure's value in one canonical unit a kind (miles to km, MWh to GWh, USD/MWh to USD/kWh), with
pint doing the arithmetic, so that one claim stated in two units compares as one value.

Each unit's factor is worked out by pint once, for every unit of rules/units.jsonl (and every
currency per unit) when the pipeline loads: a figure then costs a dictionary look-up, and the first
article read pays nothing for pint's registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pint

from monitor.nlp.claims.lexicon import is_currency
from monitor.nlp.rulebook import rulebook

# our unit names (rules/units.jsonl) that pint spells otherwise
PINT_NAMES = {"mi": "mile", "min": "minute", "h": "hour", "s": "second", "t": "tonne", "L": "liter",
              "°C": "degC", "°F": "degF", "Mbps": "megabit/second", "Gbps": "gigabit/second"}
# the canonical unit of each physical dimension; energy is told apart by size (a pack's kWh, a
# plant's GWh), everything else has one
CANONICAL = {"[length]": "km", "[time]": "min", "[mass]": "t", "[mass] * [length] ** 2 / [time] ** 3": "kW",
             "[length] ** 2 / [time] ** 2": "Wh/kg", "[mass] / [length] / [time] ** 2": "Wh/L"}
LARGE_ENERGY = frozenset({"MWh", "GWh", "TWh"})
# units that are their own canonical form: shares, counts, temperatures (offsets, not factors)
KEPT = frozenset({"%", "pp", "count", "cycles", "°C", "°F", "V", "kV"})

_registry: pint.UnitRegistry | None = None


def registry() -> pint.UnitRegistry:
    global _registry
    if _registry is None:
        _registry = pint.UnitRegistry()
    return _registry


UNITS = "units.jsonl"


class UnitTable:
    """Every known unit's canonical unit and factor, worked out once; a unit the table lacks (one
    the rules learnt later) is worked out on first use."""

    def __init__(self, conversions: dict[str, tuple[str, float]]) -> None:
        self.conversions = conversions

    @classmethod
    def build(cls, units: Iterable[str]) -> UnitTable:
        return cls({unit: conversion(unit) for unit in units})

    @classmethod
    def load(cls, rules_dir: Path) -> UnitTable:
        """The units of rules/units.jsonl, their per-unit forms, and each currency per each unit."""
        units: set[str] = set()
        for entry in rulebook(rules_dir).records(UNITS):
            units.add(entry["unit"])
            units.update(entry.get("per", {}).values())
        currencies = [u for u in units if is_currency(u)]
        units.update(f"{money}/{per}" for money in currencies for per in list(units)
                     if not is_currency(per) and "/" not in per)
        return cls.build(units)

    def canonical(self, value: float | None, unit: str | None) -> tuple[float | None, str | None]:
        """(value, unit) in the canonical unit of the unit's kind; unknown units are kept as given."""
        if value is None or not unit:
            return value, unit
        found = self.conversions.get(unit)
        target, factor = found if found is not None else conversion(unit)
        return (round(value * factor, 9) if factor != 1 else value), target


@lru_cache(maxsize=256)
def conversion(unit: str) -> tuple[str, float]:
    """The canonical unit for `unit` and the factor that takes a value there."""
    if unit in KEPT or is_currency(unit):
        return unit, 1.0
    money, _, per = unit.partition("/")
    if is_currency(money) and per:
        target_per, factor = ("kWh", _factor(per, "kWh")) if per in LARGE_ENERGY else conversion(per)
        return f"{money}/{target_per}", 1.0 / factor if factor else 1.0
    target = _target(unit)
    if target is None or target == unit:
        return unit, 1.0
    factor = _factor(unit, target)
    return (target, factor) if factor else (unit, 1.0)


def _factor(unit: str, target: str) -> float:
    """How many `target` one `unit` is; 0 where pint cannot tell."""
    try:
        return float(registry().Quantity(1.0, _pint_name(unit)).to(_pint_name(target)).magnitude)
    except Exception:  # pint raises many kinds (TypeError on "mg-h") for what it cannot parse
        return 0.0


def _target(unit: str) -> str | None:
    if unit in LARGE_ENERGY:
        return "GWh"
    if unit in ("Wh", "kWh"):
        return "kWh"
    try:
        dimensionality = str(registry().Quantity(1.0, _pint_name(unit)).dimensionality)
    except Exception:  # pint raises many kinds (TypeError on "mg-h") for what it cannot parse
        return None
    return CANONICAL.get(dimensionality)


def _pint_name(unit: str) -> str:
    if "/" in unit:
        return "/".join(_pint_name(part) for part in unit.split("/"))
    return PINT_NAMES.get(unit, unit)
