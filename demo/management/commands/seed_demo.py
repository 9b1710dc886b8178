from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import demo_logins, seed_demo


class Command(BaseCommand):
    help = "Load the demo municipality Demodorp with its digipunten and users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Use --force to seed demo data anyway."
            )
        municipality = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready for {municipality.name}."))
        logins = ", ".join(f"{username}/{password}" for username, password in demo_logins())
        self.stdout.write(f"Demo logins (username/password): {logins}")
