import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fyren.episodes.leadtimes import (
    MEDICAL,
    PATIENT,
    LeadTime,
    Pause,
    TargetState,
    between,
    lead_time,
    median,
    nearest_rank,
    summarise,
)

D = dt.date(2026, 3, 1)


def day(n):
    return D + dt.timedelta(days=n)


def test_a_lead_time_is_counted_in_calendar_days():
    assert lead_time(day(0), day(30)).days == 30
    assert lead_time(day(0), day(0)).counted_days == 0


def test_a_wait_the_patient_chose_is_counted_apart():
    lead = lead_time(day(0), day(30), [Pause(PATIENT, day(5), day(14))])
    assert (lead.days, lead.patient_days, lead.medical_days, lead.counted_days) == (30, 10, 0, 20)


def test_a_day_in_both_kinds_of_pause_counts_once_as_the_patients_choice():
    lead = lead_time(day(0), day(20), [Pause(PATIENT, day(2), day(5)), Pause(MEDICAL, day(4), day(9))])
    assert (lead.patient_days, lead.medical_days, lead.counted_days) == (4, 4, 12)


def test_an_open_pause_runs_to_the_end_of_the_lead_time_and_not_beyond():
    lead = lead_time(day(0), day(10), [Pause(MEDICAL, day(7), None)])
    assert lead.medical_days == 3
    lead = lead_time(day(0), day(10), [Pause(MEDICAL, day(-5), day(40))])
    assert lead.medical_days == 10 and lead.counted_days == 0


def test_a_pause_outside_the_interval_does_not_count():
    assert (
        lead_time(day(10), day(20), [Pause(PATIENT, day(0), day(9)), Pause(PATIENT, day(20), day(25))]).patient_days
        == 0
    )


def test_between_runs_to_today_until_the_second_point():
    points = {"B": day(0)}
    assert between(points, "A", "B", today=day(3)) is None
    running = between(points, "B", "C", today=day(3))
    assert running.running and running.days == 3
    points["C"] = day(2)
    assert not between(points, "B", "C", today=day(9)).running


def test_target_states():
    done = lead_time(day(0), day(3))
    assert TargetState("B", "C", 3, done).state == "within"
    assert TargetState("B", "C", 2, done).state == "over"
    assert TargetState("B", "C", 3, None).state == "not_started"
    assert TargetState("B", "C", 30, lead_time(day(0), day(10), running=True)).state == "running"
    assert TargetState("B", "C", 3, lead_time(day(0), day(2), running=True)).state == "due_soon"
    assert TargetState("B", "C", 3, lead_time(day(0), day(4), running=True)).state == "missed"
    assert TargetState("B", "C", 3, lead_time(day(0), day(4), running=True), skipped=True).state == "skipped"


def test_median_and_the_80th_percentile_by_nearest_rank():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert median(values) == 5.5 and nearest_rank(values, 0.8) == 8
    assert median([4]) == 4 and nearest_rank([4], 0.8) == 4
    assert median([]) is None and nearest_rank([], 0.8) is None


def test_summary_leaves_running_lead_times_out_and_counts_pauses_apart():
    leads = [
        lead_time(day(0), day(2)),
        lead_time(day(0), day(10), [Pause(PATIENT, day(1), day(5))]),
        lead_time(day(0), day(4)),
        LeadTime(day(0), day(50), 50, 0, 0, running=True),
    ]
    summary = summarise(leads, 3)
    assert summary.count == 3 and summary.median == 4 and summary.within_target == 1
    assert summary.patient_days == 5 and summary.with_patient_wait == 1
    assert round(summary.share_within, 3) == 0.333
    assert summarise(leads, None).share_within is None


dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


@given(
    dates,
    st.integers(0, 400),
    st.lists(st.tuples(st.sampled_from([PATIENT, MEDICAL]), dates, st.integers(0, 90)), max_size=5),
)
def test_pause_days_never_exceed_the_lead_time(start, length, raw):
    pauses = [Pause(kind, s, s + dt.timedelta(days=n)) for kind, s, n in raw]
    lead = lead_time(start, start + dt.timedelta(days=length), pauses)
    assert 0 <= lead.counted_days <= lead.days == length
    assert lead.patient_days + lead.medical_days <= length


@given(st.lists(st.integers(0, 500), min_size=1, max_size=60))
def test_percentiles_are_values_that_occurred_and_in_order(values):
    assert nearest_rank(values, 0.8) in values
    assert min(values) <= median(values) <= max(values)
    assert sum(v <= nearest_rank(values, 0.8) for v in values) >= 0.8 * len(values)
