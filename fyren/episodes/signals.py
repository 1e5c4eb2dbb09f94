"""What happened to a care episode, for apps on higher floors that follow it
(the care guarantee in ``booking``). Sent inside the writing service's
transaction, so a receiver's writes commit or roll back with the point itself."""

from django.dispatch import Signal

# episode, point ("A".."G"), at (datetime), source (EpisodePoint.Source), actor (or None)
point_recorded = Signal()
