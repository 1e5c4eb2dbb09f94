"""The national follow-up of treatments (the 2017 agreement report's tables 1–7)
as plain arithmetic on counts already aggregated: per region and for the whole
country (*Riket*), rates per 1000 inhabitants of the year's age band rounded
half-up to one decimal, whole-percent shares, and small counts hidden together
with every cell from which a hidden one could be worked out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from fyren.lib.suppression import Cell
from fyren.lib.suppression import suppress as lib_suppress
from fyren.organisations.counties import COUNTIES

COUNTRY = "SE"  # the row for the whole country
PAIN = ("MMR1", "MMR2", "BEHAVIOURAL_MEDICINE", "ACTIVE_TRAINING", "OTHER_PAIN")
PSYCH = ("KBT", "IKBT", "IPT", "PDT", "EMDR", "OTHER_PSYCH")
KINDS = PAIN + PSYCH


@dataclass(frozen=True)
class Rules:
    """How a year is counted: by the completion date (the rule since 2012) or the
    start, at ages ``age_from``–``age_to`` at the start (16–67 from 2017, 16–65
    before), hiding counts below ``threshold`` (0: show everything)."""

    year: int
    count_by: str = "completed"
    age_from: int = 16
    age_to: int = 67
    threshold: int = 0

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "count_by": self.count_by,
            "age_from": self.age_from,
            "age_to": self.age_to,
            "threshold": self.threshold,
        }


def default_rules(year: int, *, threshold: int = 0) -> Rules:
    return Rules(
        year,
        count_by="completed" if year >= 2012 else "started",
        age_from=16,
        age_to=67 if year >= 2017 else 65,
        threshold=threshold,
    )


@dataclass(frozen=True)
class YearCounts:
    """What the database gives for one year under its rules."""

    # (region, kind, sex, provider) → treatments
    treatments: Mapping[tuple[str, str, str, str], int]
    # (region, "employer" | "employment_service") → contacts in the year
    contacts: Mapping[tuple[str, str], int]
    # region → inhabitants in the age band
    population: Mapping[str, int]


@dataclass
class Row:
    code: str
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[Row]
    # Sets of columns whose counts add up to another shown column of the row
    # (a split and its total): hiding one member hides another.
    splits: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)
    # rate column → the count it is computed from (hidden with it)
    rates: dict[str, str] = field(default_factory=dict)

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.code == code)

    @property
    def grid(self) -> list[tuple[Row, list[Cell]]]:
        """Each row with its cells in the order of the columns (for templates)."""
        return [(r, [r.cells[key] for key, _label in self.columns]) for r in self.rows]


def rate(count: int, population: int) -> Decimal | None:
    """Per 1000 inhabitants, rounded half-up to one decimal (None without a population)."""
    if not population:
        return None
    return (Decimal(count) * 1000 / Decimal(population)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _regions() -> list[tuple[str, str]]:
    return sorted(COUNTIES.items(), key=lambda item: item[1])


def _sum(counts: Mapping[tuple[str, str, str, str], int], region: str | None, kinds: Iterable[str], **match) -> int:
    kinds = set(kinds)
    total = 0
    for (r, kind, sex, provider), n in counts.items():
        in_region = region is None or r == region
        if in_region and kind in kinds and match.get("sex", sex) == sex and match.get("provider", provider) == provider:
            total += n
    return total


def _rows(build) -> list[Row]:
    rows = [Row(code, name, build(code)) for code, name in _regions()]
    rows.append(Row(COUNTRY, str(_("The whole country")), build(None)))
    return rows


def table_pain(c: YearCounts) -> Table:
    def build(region):
        pop = c.population.get(region) if region else sum(c.population.values())
        mmr = _sum(c.treatments, region, ("MMR1", "MMR2"))
        cells = {k: Cell(_sum(c.treatments, region, (k,))) for k in ("MMR1", "MMR2")}
        cells["MMR"] = Cell(mmr)
        cells["MMR_per_1000"] = Cell(rate(mmr, pop or 0), "rate")
        for k in ("BEHAVIOURAL_MEDICINE", "ACTIVE_TRAINING", "OTHER_PAIN"):
            cells[k] = Cell(_sum(c.treatments, region, (k,)))
        return cells

    return Table(
        "T1",
        str(_("Pain treatments: multimodal rehabilitation (MMR) and other pain treatment")),
        [
            ("MMR1", "MMR1"),
            ("MMR2", "MMR2"),
            ("MMR", str(_("MMR total"))),
            ("MMR_per_1000", str(_("MMR per 1000 inhabitants"))),
            ("BEHAVIOURAL_MEDICINE", str(_("Behavioural-medicine treatment"))),
            ("ACTIVE_TRAINING", str(_("Active specific training"))),
            ("OTHER_PAIN", str(_("Other pain treatment"))),
        ],
        _rows(build),
        splits=[(("MMR1", "MMR2"), "MMR")],
        rates={"MMR_per_1000": "MMR"},
    )


def table_psych(c: YearCounts) -> Table:
    def build(region):
        pop = c.population.get(region) if region else sum(c.population.values())
        kbt_ipt = _sum(c.treatments, region, ("KBT", "IPT"))
        cells = {"KBT_IPT": Cell(kbt_ipt), "KBT_IPT_per_1000": Cell(rate(kbt_ipt, pop or 0), "rate")}
        for k in PSYCH:
            cells[k] = Cell(_sum(c.treatments, region, (k,)))
        return cells

    return Table(
        "T2",
        str(_("Psychological treatments for mild to moderate depression, anxiety and stress")),
        [
            ("KBT_IPT_per_1000", str(_("KBT and IPT per 1000 inhabitants"))),
            ("KBT", "KBT"),
            ("IKBT", "IKBT"),
            ("IPT", "IPT"),
            ("PDT", "PDT"),
            ("EMDR", "EMDR"),
            ("OTHER_PSYCH", str(_("Other psychological treatment"))),
        ],
        _rows(build),
        splits=[(("KBT", "IPT"), "KBT_IPT")],
        rates={"KBT_IPT_per_1000": "KBT_IPT"},
    )


def _split_table(c: YearCounts, key: str, title: str, field_name: str, parts) -> Table:
    def build(region):
        total = _sum(c.treatments, region, KINDS)
        cells = {"total": Cell(total)}
        for value, _label in parts:
            n = _sum(c.treatments, region, KINDS, **{field_name: value})
            cells[value] = Cell(n)
            cells[f"{value}_percent"] = Cell(percent(n, total), "percent")
        return cells

    columns = [(value, label) for value, label in parts]
    columns += [(f"{value}_percent", str(_("%(part)s, per cent") % {"part": label})) for value, label in parts]
    return Table(
        key,
        title,
        columns,
        _rows(build),
        splits=[(tuple(v for v, _l in parts), "total")],
        rates={f"{value}_percent": value for value, _label in parts},
    )


def table_sex(c: YearCounts) -> Table:
    return _split_table(c, "T3", str(_("Treatments by sex")), "sex", [("M", str(_("Men"))), ("F", str(_("Women")))])


def table_provider(c: YearCounts) -> Table:
    return _split_table(
        c,
        "T4",
        str(_("Treatments by provider ownership")),
        "provider",
        [("private", str(_("Private"))), ("public", str(_("Public")))],
    )


def table_contacts(c: YearCounts) -> Table:
    def build(region):
        def n(kind):
            return sum(v for (r, k), v in c.contacts.items() if k == kind and (region is None or r == region))

        return {"employer": Cell(n("employer")), "employment_service": Cell(n("employment_service"))}

    return Table(
        "T5",
        str(_("Contacts with employers and with the employment service (in the year of the contact)")),
        [("employer", str(_("Contacts with employers"))), ("employment_service", str(_("Employment service")))],
        _rows(build),
    )


def table_over_years(key: str, title: str, kinds, years: Mapping[int, YearCounts], label: str) -> Table:
    def build(region):
        cells = {}
        for year, c in sorted(years.items()):
            pop = c.population.get(region) if region else sum(c.population.values())
            n = _sum(c.treatments, region, kinds)
            cells[f"{year}"] = Cell(n)
            cells[f"{year}_per_1000"] = Cell(rate(n, pop or 0), "rate")
        return cells

    columns = []
    for year in sorted(years):
        columns += [(f"{year}", f"{label} {year}"), (f"{year}_per_1000", str(_("per 1000, %(year)s") % {"year": year}))]
    return Table(key, title, columns, _rows(build), rates={f"{y}_per_1000": f"{y}" for y in years})


def national_tables(counts: YearCounts, years: Mapping[int, YearCounts], *, threshold: int = 0) -> list[Table]:
    """Tables 1–7 for one year (``counts``) and the chosen years (``years``, for 6 and 7)."""
    tables = [
        table_pain(counts),
        table_psych(counts),
        table_sex(counts),
        table_provider(counts),
        table_contacts(counts),
        table_over_years("T6", str(_("MMR over the years")), ("MMR1", "MMR2"), years, "MMR"),
        table_over_years("T7", str(_("KBT and IPT over the years")), ("KBT", "IPT"), years, "KBT, IPT"),
    ]
    if threshold:
        for table in tables:
            suppress(table, threshold)
    return tables


def suppress(table: Table, threshold: int) -> None:
    """Hide small counts and whatever would give them away (``lib.suppression``);
    the country's row is the total of the regions' rows."""
    lib_suppress(
        [r.cells for r in table.rows],
        threshold,
        splits=table.splits,
        derived=table.rates,
        total_row=table.row(COUNTRY).cells,
    )


def figures_of(tables: list[Table]) -> dict[str, str]:
    """Every shown figure by ``table|row|column`` (for telling what changed since an export)."""
    return {
        f"{t.key}|{r.code}|{key}": str(cell.value)
        for t in tables
        for r in t.rows
        for key, cell in r.cells.items()
        if not cell.hidden
    }


def changed_since(old: Mapping[str, str], new: Mapping[str, str]) -> list[tuple[str, str | None, str | None]]:
    """Figures that differ from an earlier export: (key, then, now)."""
    return sorted((k, old.get(k), new.get(k)) for k in set(old) | set(new) if old.get(k) != new.get(k))
