"""Program outcomes as plain arithmetic: for an instrument, the first and last
score of each enrolment, the mean change, and whether each patient improved or
deteriorated — by the instrument's reliable-change rule where one is known,
else by moving to a better or worse severity band. And the benefit of digital
contacts (travel and paper avoided) as a calculation on stated assumptions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Reliable change on the primary score, as used in routine outcome monitoring
# (NHS Talking Therapies manual: PHQ-9 ≥ 6 points, GAD-7 ≥ 4 points); WHO-5's
# percentage score improves upwards (Topp et al. 2015: 10 points is a relevant change).
RELIABLE_CHANGE = {
    "phq9": (6, True),
    "gad7": (4, True),
    "who5": (10, False),
}  # code → (points, lower is better)


def change_class(code: str, definition: Mapping, score_id: str, baseline: float, last: float) -> str:
    """``improved``, ``deteriorated`` or ``unchanged``."""
    if code in RELIABLE_CHANGE:
        points, lower_better = RELIABLE_CHANGE[code]
        delta = (baseline - last) if lower_better else (last - baseline)
        if delta >= points:
            return "improved"
        if delta <= -points:
            return "deteriorated"
        return "unchanged"
    bands = ((definition.get("scoring") or {}).get("bands") or {}).get(score_id) or []

    def index(value):
        return next((i for i, b in enumerate(bands) if b["min"] <= value <= b["max"]), None)

    before, after = index(baseline), index(last)
    if before is None or after is None or before == after:
        return "unchanged"
    return "improved" if after < before else "deteriorated"


@dataclass
class InstrumentOutcome:
    code: str
    name: str
    score_id: str
    rule: str  # "rc:N" (reliable change of N points) or "band" (moving to another severity band)
    n: int = 0  # enrolments with a first and a later score
    baseline_sum: float = 0.0
    last_sum: float = 0.0
    improved: int = 0
    deteriorated: int = 0
    hidden: set[str] = field(default_factory=set)  # figures not to show (small counts)

    @property
    def mean_baseline(self) -> float | None:
        return round(self.baseline_sum / self.n, 1) if self.n else None

    @property
    def mean_last(self) -> float | None:
        return round(self.last_sum / self.n, 1) if self.n else None

    @property
    def mean_change(self) -> float | None:
        return round((self.last_sum - self.baseline_sum) / self.n, 1) if self.n else None

    @property
    def share_improved(self) -> float | None:
        return round(100 * self.improved / self.n) if self.n else None

    @property
    def share_deteriorated(self) -> float | None:
        return round(100 * self.deteriorated / self.n) if self.n else None


def instrument_outcome(
    code: str, name: str, definition: Mapping, score_id: str, series: Sequence[Sequence[float]]
) -> InstrumentOutcome:
    """``series``: per enrolment, its scores in time order (one score: no change to tell)."""
    rule = f"rc:{RELIABLE_CHANGE[code][0]}" if code in RELIABLE_CHANGE else "band"
    outcome = InstrumentOutcome(code, name, score_id, rule)
    for scores in series:
        if len(scores) < 2:
            continue
        first, last = scores[0], scores[-1]
        outcome.n += 1
        outcome.baseline_sum += first
        outcome.last_sum += last
        found = change_class(code, definition, score_id, first, last)
        outcome.improved += found == "improved"
        outcome.deteriorated += found == "deteriorated"
    return outcome


# --- benefit --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitAssumptions:
    """What one digital contact stands in for (the seeds' benefit analysis names
    the benefits — no travel, less paper, less time off work — without values;
    the region states its own)."""

    visit_share: float = 0.5  # of digital contacts, the share that replace a visit
    km_per_visit: float = 20.0  # return trip
    co2_kg_per_km: float = 0.12
    minutes_per_visit: float = 90.0  # travel and waiting
    sheets_per_contact: float = 2.0  # letters, forms and printed material not sent

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> BenefitAssumptions:
        known = {k: float(v) for k, v in values.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Benefit:
    contacts: int
    visits_avoided: float
    km_avoided: float
    co2_kg_avoided: float
    hours_saved: float
    sheets_saved: float


def benefit(contacts: int, a: BenefitAssumptions) -> Benefit:
    visits = contacts * a.visit_share
    return Benefit(
        contacts=contacts,
        visits_avoided=round(visits),
        km_avoided=round(visits * a.km_per_visit),
        co2_kg_avoided=round(visits * a.km_per_visit * a.co2_kg_per_km),
        hours_saved=round(visits * a.minutes_per_visit / 60),
        sheets_saved=round(contacts * a.sheets_per_contact),
    )


@dataclass
class VersionOutcome:
    """One program version's use and outcomes in the period (figures only)."""

    version_id: int
    title: str
    number: int
    modules: int
    started: int = 0
    completed: int = 0
    discontinued: int = 0
    handed_over: int = 0
    still_open: int = 0
    end_reasons: dict[str, int] = field(default_factory=dict)
    modules_done_sum: int = 0
    reached_last: int = 0
    citizen_messages: int = 0
    staff_messages: int = 0
    feedback_given: int = 0
    questionnaires_answered: int = 0
    instruments: list[InstrumentOutcome] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)  # figures not to show (small counts)
    reason_rows: list[tuple[str, int, bool]] = field(default_factory=list)  # (reason, count, hidden)

    @property
    def mean_modules(self) -> float | None:
        return round(self.modules_done_sum / self.started, 1) if self.started else None

    @property
    def messages_per_enrolment(self) -> float | None:
        return round((self.citizen_messages + self.staff_messages) / self.started, 1) if self.started else None

    @property
    def digital_contacts(self) -> int:
        """Contacts that happened in Fyren: modules done, messages, questionnaires answered."""
        return self.modules_done_sum + self.citizen_messages + self.staff_messages + self.questionnaires_answered
