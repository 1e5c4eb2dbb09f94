"""What happened to an enrolment, for apps on higher floors that act on it or
keep their own record of it (the questionnaires sent, the care episode's
measurement points, the national follow-up). Sent inside the service's
transaction, so a receiver's writes commit or roll back with the change itself."""

from django.dispatch import Signal

# enrolment, actor, at (datetime), on (date: the day the program counts from)
enrolment_started = Signal()
# enrolment (status completed or discontinued), actor, at (datetime)
enrolment_ended = Signal()
# enrolment, actor, on (date): a module opened for the citizen
module_opened = Signal()
# enrolment: the citizen's own work in it is being removed (retention); remove yours
enrolment_purging = Signal()
# enrolment, from_unit, to_unit, actor: a handover was accepted; what is about the enrolment moves with it
enrolment_moved = Signal()
