import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fyren.accounts.services import region_role_assign, staff_user_create
from fyren.organisations.models import Region


class Command(BaseCommand):
    help = (
        "Create a staff login (operators' bootstrap). With --care-provider-admin ORGNO the user becomes "
        "care-provider admin of that region and can then give every other role in the browser. "
        "A one-time password is printed; the user sets up TOTP at first login."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--given-name", required=True)
        parser.add_argument("--family-name", required=True)
        parser.add_argument("--hsa-id", default=None, help="personal HSA-id, matched by the staff IdP")
        parser.add_argument("--title", default="")
        parser.add_argument("--no-password", action="store_true", help="IdP login only")
        parser.add_argument("--care-provider-admin", metavar="ORGNO", default=None)

    def handle(self, *args, **opts):
        region = None
        if opts["care_provider_admin"]:
            region = Region.objects.filter(organisation_number=opts["care_provider_admin"]).first()
            if region is None:
                raise CommandError(f"No region with organisation number {opts['care_provider_admin']}.")
        password = None if opts["no_password"] else secrets.token_urlsafe(18)
        try:
            user = staff_user_create(
                actor=None,
                username=opts["username"],
                given_name=opts["given_name"],
                family_name=opts["family_name"],
                hsa_id=opts["hsa_id"],
                title=opts["title"],
                password=password,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if region is not None:
            region_role_assign(actor=None, user=user, region=region)
        self.stdout.write(self.style.SUCCESS(f"Created staff user {user.username}."))
        if password:
            self.stdout.write(f"One-time password: {password}")
