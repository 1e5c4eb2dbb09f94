"""lib.suppression: small counts and every cell that would give them away."""

from hypothesis import example, given
from hypothesis import strategies as st

from fyren.lib.suppression import Cell, suppress


def row(**values):
    return {k: Cell(v) for k, v in values.items()}


def test_a_split_whose_total_is_shown_hides_its_other_part():
    r = row(total=12, a=2, b=10)
    suppress([r], 5, splits=[(("a", "b"), "total")])
    assert r["a"].hidden and r["b"].hidden and not r["total"].hidden


def test_a_column_whose_total_row_is_shown_hides_another_row():
    rows = [row(n=3), row(n=0), row(n=9), row(n=7)]
    total = row(n=19)
    suppress(rows, 5, total_row=total)
    assert [r["n"].hidden for r in rows] == [True, False, False, True]  # the smallest non-zero other
    assert not total["n"].hidden


def test_a_derived_figure_goes_with_its_count_and_zero_shows():
    r = {"n": Cell(2), "rate": Cell(0.4, "rate"), "zero": Cell(0)}
    suppress([r], 5, derived={"rate": "n"})
    assert r["rate"].hidden and not r["zero"].hidden


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=2, max_size=8), st.integers(1, 10))
@example(pairs=[(0, 0), (0, 1)], threshold=2)  # a total row equal in value to a row
def test_no_hidden_count_can_be_worked_out_from_a_split_or_the_total_row(pairs, threshold):
    rows = [row(a=a, b=b, total=a + b) for a, b in pairs]
    total = row(a=sum(a for a, _ in pairs), b=sum(b for _, b in pairs), total=sum(a + b for a, b in pairs))
    suppress(rows, threshold, splits=[(("a", "b"), "total")], total_row=total)
    for r in [*rows, total]:
        for c in r.values():
            if 0 < c.value < threshold:
                assert c.hidden
        if not r["total"].hidden:
            assert [r["a"].hidden, r["b"].hidden].count(True) != 1
    for key in ("a", "b", "total"):
        if not total[key].hidden:
            assert [r[key].hidden for r in rows].count(True) != 1
