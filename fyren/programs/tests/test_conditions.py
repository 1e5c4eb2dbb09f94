import pytest
from hypothesis import given
from hypothesis import strategies as st

from fyren.programs.conditions import describe, evaluate, refs, validate

ANSWERS = {"worry.score": 12, "sleep": "6,5", "sheet.goal": "Walk every day", "list.done": True, "tags": ["a", "b"]}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (None, True),
        ({"ref": "worry.score", "op": "ge", "value": 10}, True),
        ({"ref": "worry.score", "op": "ge", "value": 13}, False),
        ({"ref": "worry.score", "op": "lt", "value": "12.5"}, True),
        ({"ref": "worry.score", "op": "eq", "value": "12"}, True),
        ({"ref": "sleep", "op": "gt", "value": 6}, True),  # decimal comma
        ({"ref": "sheet.goal", "op": "contains", "value": "walk"}, True),
        ({"ref": "tags", "op": "contains", "value": "b"}, True),
        ({"ref": "list.done", "op": "eq", "value": True}, True),
        ({"ref": "list.done", "op": "ne", "value": True}, False),
        ({"ref": "missing", "op": "exists"}, False),
        ({"ref": "missing", "op": "not_exists"}, True),
        ({"ref": "missing", "op": "lt", "value": 5}, False),  # a missing answer never satisfies a comparison
        ({"ref": "missing", "op": "ne", "value": 5}, False),
        ({"ref": "sheet.goal", "op": "gt", "value": 3}, False),  # text is not a number
        ({"all": [{"ref": "worry.score", "op": "ge", "value": 10}, {"ref": "missing", "op": "exists"}]}, False),
        ({"any": [{"ref": "worry.score", "op": "ge", "value": 10}, {"ref": "missing", "op": "exists"}]}, True),
    ],
)
def test_evaluate(condition, expected):
    assert evaluate(condition, ANSWERS) is expected


def test_an_empty_answer_counts_as_missing():
    assert evaluate({"ref": "x", "op": "not_exists"}, {"x": ""})


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        ("x", "must be an object"),
        ({"all": []}, "non-empty list"),
        ({"ref": "", "op": "eq", "value": 1}, "'ref'"),
        ({"ref": "a", "op": "between", "value": 1}, "'op'"),
        ({"ref": "a", "op": "ge"}, "needs a 'value'"),
        ({"ref": "a", "op": "exists", "colour": "red"}, "unknown keys"),
        ({"ref": "later.score", "op": "ge", "value": 1}, "not an answer given earlier"),
    ],
)
def test_validate_reports_malformed_conditions(condition, fragment):
    problems = validate(condition, known_refs={"a"})
    assert any(fragment in p for p in problems), problems


def test_refs_and_describe():
    condition = {"all": [{"ref": "a.score", "op": "ge", "value": 10}, {"ref": "b", "op": "exists"}]}
    assert refs(condition) == {"a.score", "b"}
    assert describe(condition) == "(a.score ≥ 10 and b is answered)"


numbers = st.one_of(st.integers(-100, 100), st.floats(-100, 100, allow_nan=False))
clauses = st.builds(
    lambda ref, op, value: {"ref": ref, "op": op, "value": value},
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le"]),
    numbers,
)
answer_sets = st.dictionaries(st.sampled_from(["a", "b", "c"]), numbers)


@given(clause=clauses, answers=answer_sets)
def test_a_group_of_one_is_the_clause_itself(clause, answers):
    assert evaluate({"all": [clause]}, answers) == evaluate(clause, answers) == evaluate({"any": [clause]}, answers)


@given(parts=st.lists(clauses, min_size=1, max_size=4), answers=answer_sets)
def test_all_and_any_follow_logic(parts, answers):
    values = [evaluate(part, answers) for part in parts]
    assert evaluate({"all": parts}, answers) == all(values)
    assert evaluate({"any": parts}, answers) == any(values)


@given(ref=st.sampled_from(["a", "b"]), answers=answer_sets)
def test_exists_and_not_exists_are_opposites(ref, answers):
    assert evaluate({"ref": ref, "op": "exists"}, answers) != evaluate({"ref": ref, "op": "not_exists"}, answers)


@given(clause=clauses, answers=answer_sets)
def test_ge_is_gt_or_eq(clause, answers):
    ge = evaluate({**clause, "op": "ge"}, answers)
    assert ge == (evaluate({**clause, "op": "gt"}, answers) or evaluate({**clause, "op": "eq"}, answers))
