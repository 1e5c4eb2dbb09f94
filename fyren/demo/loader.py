"""Loads the demo, domain by domain, in one transaction; again and again without duplicates."""

from django.contrib.auth import get_user_model
from django.db import transaction

from fyren.booking.guarantee_services import guarantee_flags_raise
from fyren.care.summary import summaries_refresh_all
from fyren.episodes.flagging import lead_time_flags_raise

from .api import load_api
from .booking import load_booking
from .care import load_care
from .careplans import load_careplans
from .episodes import load_episodes
from .instruments import load_instrument_translations
from .people import load_people
from .programs import load_demo_programs
from .reporting import load_reporting
from .research import load_research


@transaction.atomic
def load_demo_data() -> dict:
    people = load_people()
    users = get_user_model().objects
    programs = load_demo_programs(
        people["regions"][0],
        users.get(username="david.noor"),
        users.get(username="sofia.wik"),
        people["units"][:2],
    )
    load_instrument_translations(people)
    enrolled = load_care(people)
    load_episodes(people)
    load_careplans(people)
    load_booking(people)
    load_reporting(people)
    load_api(people)
    load_research(people)
    # Flags from time passing (lead-time targets, fixed care contacts) show at once.
    lead_time_flags_raise()
    guarantee_flags_raise()
    # The demo back-dates what it made (starts, answers, messages) with plain updates:
    # the enrolments' kept summary is computed once over the result.
    summaries_refresh_all()
    return {
        "enrolled": enrolled,
        "regions": len(people["regions"]),
        "units": len(people["units"]),
        "staff_created": people["staff_created"],
        "citizens": len(people["citizens"]),
        "programs_created": len(programs),
    }
