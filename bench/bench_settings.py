"""Production settings (config.settings, from the environment) with mail kept in memory (a
booking e-mails the volunteer, and the benchmark has no SMTP server to talk to) and the
bench's own URLconf, which adds two floor views to the project's (bench/bench_urls.py)."""

from config.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The project's URLs plus the bench-only floor views (bench/bench_urls.py).
ROOT_URLCONF = "bench_urls"
# Without REDIS_URL (the in-process part of the benchmark) the cache is local memory, whose
# versions helpdesk/cache_versions.py does not trust across processes; the benchmark changes
# nothing while it measures. The gunicorn part runs with Redis, as production does.
CACHE_IN_ONE_PROCESS = env_bool("CACHE_IN_ONE_PROCESS", True)  # noqa: F405
