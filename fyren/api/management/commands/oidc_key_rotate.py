"""Retire the key that signs ID tokens and make a new one (fyren/lib/signing_key.py).
The retired key stays in the published JWK Set so tokens signed with it can
still be checked; restart the server to sign with the new key."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fyren.lib import signing_key


class Command(BaseCommand):
    help = "Retire the OpenID Connect signing key and make a new one (restart afterwards)."

    def handle(self, *args, **options):
        if settings.OAUTH2_PROVIDER.get("OIDC_RSA_PRIVATE_KEY") and not settings.OIDC_KEY_FILE.exists():
            raise CommandError("The signing key comes from FYREN_OIDC_PRIVATE_KEY: rotate it where it is kept.")
        path = signing_key.rotate(settings.OIDC_KEY_FILE)
        retired = len(signing_key.retired(settings.OIDC_KEY_FILE))
        self.stdout.write(f"New signing key in {path}; {retired} retired key(s) still published. Restart the server.")
