import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from fyren.demo.identities import demo_totp_key


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff user (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEMO:
            raise CommandError("Only available when FYREN_DEMO=1.")
        from binascii import unhexlify

        code = totp(unhexlify(demo_totp_key(username)), t0=0, step=30, digits=6)
        remaining = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}  (valid for {remaining} more seconds)")
