"""Production settings: `check --deploy` must be clean when DEBUG is off."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a8f5f167f44f4964e6c998dee827110c-production-like-secret-key-for-the-check",
    "ALLOWED_HOSTS": "digipunt.example.be",
    "PUBLIC_BASE_URL": "https://digipunt.example.be",
}


def run_manage(*args, env_overrides):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; production never has it.
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_mail_waits_for_the_server_a_bounded_time():
    code = "from django.core import mail; print(mail.get_connection().timeout)"
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.stdout.strip() == "5", result.stdout + result.stderr
    slower = {**PRODUCTION_ENV, "EMAIL_TIMEOUT": "2"}
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=slower)
    assert result.stdout.strip() == "2", result.stdout + result.stderr


def test_a_media_root_the_process_cannot_write_fails_the_deploy_check(tmp_path):
    (tmp_path / "a-file").write_text("x")
    env = {**PRODUCTION_ENV, "MEDIA_ROOT": str(tmp_path / "a-file" / "media")}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode != 0
    assert "guides.W001" in result.stdout + result.stderr
