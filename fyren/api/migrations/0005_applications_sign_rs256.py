"""Every app's ID tokens are signed RS256 with Fyren's managed key: apps
registered before OpenID Connect was turned on get the algorithm (new ones get
it when saved, fyren/api/apps.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Application = apps.get_model("oauth2_provider", "Application")
    Application.objects.filter(algorithm="").update(algorithm="RS256")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_changed_at_triggers"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
