"""Production settings (config.settings, from the environment) with mail kept in memory (a
booking e-mails the volunteer, and the benchmark has no SMTP server to talk to) and the
bench's own URLconf, which adds two floor views to the project's (bench/bench_urls.py)."""

from config.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The project's URLs plus the bench-only floor views (bench/bench_urls.py).
ROOT_URLCONF = "bench_urls"
# The cache is local memory here (no REDIS_URL), which helpdesk/principal.py does not trust
# with API callers across gunicorn workers; the benchmark revokes nothing, and caches them as
# production does in Redis.
PRINCIPAL_CACHE_IN_PROCESS = True
