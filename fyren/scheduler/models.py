from django.db import models
from django.utils import timezone


class JobRun(models.Model):
    """One run of a scheduled job for one period (an hour, a day, a minute).
    The unique (job, period) row is written before the job starts, so two
    schedulers running at once never run a job twice in a period."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "running"
        OK = "ok", "ok"
        FAILED = "failed", "failed"

    job = models.CharField(max_length=60)
    period = models.CharField(max_length=20)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    output = models.TextField(blank=True)
    host = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="one_run_per_job_and_period")]
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.job} {self.period} {self.outcome}"


class Heartbeat(models.Model):
    """The last sign of life of a background process ("scheduler", "worker"),
    read by /health/."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    @classmethod
    def beat(cls, name: str) -> None:
        cls.objects.update_or_create(name=name, defaults={"at": timezone.now()})
