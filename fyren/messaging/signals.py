"""What happened in a conversation, for apps on higher floors (the care
guarantee counts the team's first answer as the contact with care). Sent inside
``message_send``'s transaction."""

from django.dispatch import Signal

# message (Message, with .thread), actor
message_sent = Signal()

# thread (Thread, a contact request's), at (when it came), actor: a citizen asked the unit to contact them
contact_requested = Signal()
