"""Quantities in article text: the rules compiled once (`rules`), numbers read with their unit,
range and direction (`numbers`), and what a percentage measures (`objects`)."""
