import datetime as dt

import pytest

from fyren.programs.unlocking import DONE, LOCKED, OPEN, module_states, opens_on

KEYS = ["m1", "m2", "m3"]
START = dt.date(2026, 1, 5)


def test_all_at_once():
    assert module_states(rule="all", module_keys=KEYS) == {"m1": OPEN, "m2": OPEN, "m3": OPEN}


def test_in_sequence_each_opens_when_the_one_before_is_done():
    assert module_states(rule="sequence", module_keys=KEYS) == {"m1": OPEN, "m2": LOCKED, "m3": LOCKED}
    assert module_states(rule="sequence", module_keys=KEYS, done={"m1"}) == {"m1": DONE, "m2": OPEN, "m3": LOCKED}
    assert module_states(rule="sequence", module_keys=KEYS, done={"m1", "m2"})["m3"] == OPEN


def test_by_the_clinician():
    assert module_states(rule="clinician", module_keys=KEYS) == {"m1": OPEN, "m2": LOCKED, "m3": LOCKED}
    states = module_states(rule="clinician", module_keys=KEYS, done={"m1"}, opened_by_clinician={"m3"})
    assert states == {"m1": DONE, "m2": LOCKED, "m3": OPEN}


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, [OPEN, LOCKED, LOCKED]), (7, [OPEN, OPEN, LOCKED]), (13, [OPEN, OPEN, LOCKED]), (14, [OPEN, OPEN, OPEN])],
)
def test_on_a_schedule(days, expected):
    states = module_states(rule="schedule", module_keys=KEYS, started_on=START, today=START + dt.timedelta(days=days))
    assert [states[k] for k in KEYS] == expected
    assert opens_on(rule="schedule", index=2, started_on=START) == START + dt.timedelta(days=14)


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        module_states(rule="random", module_keys=KEYS)
