import uuid

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Notification = apps.get_model("messaging", "Notification")
    for notification in Notification.objects.filter(idempotency_key__isnull=True).only("pk"):
        notification.idempotency_key = uuid.uuid4()
        notification.save(update_fields=["idempotency_key"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0002_message_attachment_thread_message_thread_and_more")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="idempotency_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="idempotency_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="sending_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="redeliveries",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="notification",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Queued"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("failed", "Failed, will be tried again"),
                    ("gave_up", "Failed, given up"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["status", "created_at"], name="messaging_n_status_849585_idx"),
        ),
    ]
