from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from ideas.permissions import can_move_idea


class Command(BaseCommand):
    help = (
        "Print the API token of a product-team member (created on first use). "
        "Send it as `Authorization: Token <key>` to move or merge ideas through /api/v1/."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace the existing token with a new one."
        )
        parser.add_argument(
            "--revoke", action="store_true", help="Delete the token; nothing is printed."
        )

    def handle(self, username, rotate=False, revoke=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No member with the username {username!r}.")
        if revoke:
            deleted, _rows = Token.objects.filter(user=user).delete()
            self.stderr.write("Token revoked." if deleted else "There was no token.")
            return
        decision = can_move_idea(user)
        if not decision:
            # Reading the API needs no token; a token is only useful for triage.
            raise CommandError(f"{username}: {decision.reason}")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
