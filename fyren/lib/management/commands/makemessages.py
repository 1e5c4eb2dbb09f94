from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching: a new string gets no guessed
    (and often wrong) translation from a similar old one; it stays empty until a
    translator fills it in, and the translation test reports it."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
