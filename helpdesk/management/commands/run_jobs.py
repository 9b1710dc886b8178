import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from helpdesk import jobs


class Command(BaseCommand):
    help = (
        "Run every registered background job (due SMS, reminders, the retention purge, ...); "
        "loops every --interval seconds unless --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between rounds (default 10)."
        )

    def handle(self, *args, once=False, interval=10.0, **options):
        while True:
            close_old_connections()
            results = jobs.run_all(force=once)
            if once or options["verbosity"] > 1:
                self.stdout.write(", ".join(f"{name}: {result}" for name, result in results.items()))
            if once:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
