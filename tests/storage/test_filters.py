"""The optional filters of the analysts' queries: given ones joined, missing ones left out."""

from monitor.storage.filters import where_clause


def test_filters_not_given_are_left_out_and_a_zero_is_kept():
    where, params = where_clause({"kind = ?": None, "review_status = ?": "", "gap > ?": 0.0, "id = ?": 0})
    assert (where, params) == (" WHERE gap > ? AND id = ?", [0.0, 0])


def test_a_value_fills_every_placeholder_of_its_condition():
    where, params = where_clause({"(company = ? OR subject = ?)": "CATL", "kind = ?": "figure"})
    assert where == " WHERE (company = ? OR subject = ?) AND kind = ?"
    assert params == ["CATL", "CATL", "figure"]


def test_no_filter_given_gives_no_where_clause():
    assert where_clause({"kind = ?": None}) == ("", [])
