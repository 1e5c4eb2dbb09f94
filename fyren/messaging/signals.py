"""What happened in a conversation, for apps on higher floors (the care
guarantee counts the team's first answer as the contact with care). Sent inside
``message_send``'s transaction."""

from django.dispatch import Signal

# message (Message, with .thread), actor
message_sent = Signal()
