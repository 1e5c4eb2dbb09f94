"""What happened to an enrolment, for apps on higher floors that keep their own
record of it (the care episode's measurement points). Sent inside the service's
transaction, so a receiver's writes commit or roll back with the change itself."""

from django.dispatch import Signal

# enrolment, actor, at (datetime)
enrolment_started = Signal()
# enrolment, actor, at (datetime)
enrolment_ended = Signal()
