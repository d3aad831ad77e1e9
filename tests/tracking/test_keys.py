"""Claim keys: one string per claim from subject, metric, scope and period, never the value."""

from monitor.models import Claim
from monitor.tracking.keys import assign_claim_keys, claim_key


def test_same_claim_in_other_spelling_shares_a_key():
    assert claim_key("China", "capacity_share", None, "2024") == claim_key("china", "capacity_share", "", "2024")


def test_scope_items_in_any_order_share_a_key():
    assert claim_key("BYD", "sales", "overseas, change", "2024") == claim_key("BYD", "sales", "change,overseas", "2024")


def test_forecast_and_current_figure_differ():
    assert claim_key("China", "capacity_share", None, "forecast 2030") != claim_key("China", "capacity_share", None, "2030")


def test_cells_and_packs_and_years_differ():
    assert claim_key("global", "cell_price", None, "2024") != claim_key("global", "pack_price", None, "2024")
    assert claim_key("BYD", "sales", None, "2024") != claim_key("BYD", "sales", None, "2025")


def test_no_key_without_subject_or_metric():
    assert claim_key(None, "sales", None, "2024") is None
    assert claim_key("BYD", None, None, "2024") is None


def test_keys_are_assigned_to_quantities_only():
    figure = Claim(kind="quantity", text="83%", start=0, end=3, rule="t", subject="China",
                   metric="capacity_share", period="2024")
    quote = Claim(kind="quote", text="x", start=0, end=1, rule="t", subject="China", metric="other")
    assign_claim_keys([figure, quote])
    assert figure.claim_key == "china|capacity_share||2024"
    assert quote.claim_key is None
