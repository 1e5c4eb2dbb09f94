"""The care guarantee follows what happens in Fyren (connected in ``apps.py``):
a care request received starts a case, the decision and the start of
treatment end it, a declined request ends it, and the team's first answer in
a conversation is the contact with care. Each runs inside the event's own
transaction."""

from .guarantee_services import guarantee_from_answer, guarantee_from_contact_request, guarantee_from_point


def on_point_recorded(sender, *, episode, point, at, source, actor=None, **kwargs):
    guarantee_from_point(episode=episode, point=point, at=at, source=source, actor=actor)


def on_message_sent(sender, *, message, actor, **kwargs):
    if not message.from_citizen:
        thread = message.thread
        guarantee_from_answer(citizen_id=thread.citizen_id, unit_id=thread.unit_id, at=message.sent_at, actor=actor)


def on_contact_requested(sender, *, thread, at, **kwargs):
    guarantee_from_contact_request(citizen_id=thread.citizen_id, unit_id=thread.unit_id, at=at)
