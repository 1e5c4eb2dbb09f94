from django.conf import settings
from django.db import models
from django.utils import timezone


class Instrument(models.Model):
    """A region's own instrument (the shipped library lives in ``library.py``).
    The definition has the same shape as the library's; it is fixed once used."""

    owner = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="instruments")
    code = models.SlugField(max_length=40)
    definition = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "questionnaires_instrument"  # made when instruments were part of questionnaires
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="unique_instrument_code")]


class InstrumentTranslation(models.Model):
    """A region's licensed translation of an instrument (#19): the library's
    instruments carry only translations whose source is noted, so a language
    the library lacks is offered in that region only once it adds one."""

    region = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    language = models.CharField(max_length=20)
    texts = models.JSONField()
    source = models.CharField(max_length=500)
    licence = models.CharField(max_length=500)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "questionnaires_instrumenttranslation"  # made when instruments were part of questionnaires
        constraints = [
            models.UniqueConstraint(fields=["region", "code", "language"], name="unique_instrument_translation")
        ]
