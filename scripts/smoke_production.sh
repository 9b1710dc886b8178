#!/usr/bin/env bash
# Production smoke test: install requirements.txt ALONE into a fresh virtualenv (as the Dockerfile
# and docs/deployment.md do), then run the documented production processes against PostgreSQL,
# Redis and a fake Twilio on 127.0.0.1 and check that a booking's confirmation SMS goes out
# (scripts/smoke_production.py says what is checked). .ci/run runs it on every change.
#
#   scripts/smoke_production.sh
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and Redis on 127.0.0.1:6379, as
# .ci/run starts them; it drops and recreates the database digipunt_smoke and flushes Redis db 11.
# SMOKE_VENV (default .venv-prod, gitignored) is recreated on each run; pip's cache makes that
# quick after the first time. SMOKE_TIMEOUT (default 240) bounds the checks in seconds;
# SMOKE_KEEP_LOGS=1 keeps the processes' logs of a passing run too (a failing one always does).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
venv=${SMOKE_VENV:-.venv-prod}
timeout=${SMOKE_TIMEOUT:-240}

suitable() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
python=""
for candidate in ${PYTHON:-} python3.13 python3.12 python3 python \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[3-9]*/bin/python3 \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && suitable "$candidate"; then
    python=$(command -v "$candidate")
    break
  fi
done
if [ -z "$python" ]; then
  echo "smoke: FAILED: no Python >= 3.12 found (tried \$PYTHON, PATH and pyenv)" >&2
  exit 1
fi

# The checker records the process group of everything it starts here; whatever way it ends
# (failure, timeout, Ctrl-C, killed), nothing it started is left running.
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/digipunt-smoke.XXXXXX")
export SMOKE_PGID_FILE="$run_dir/pgids"
checker=""
stop_checker() {  # SIGTERM: the checker stops its processes and shows their logs
  if [ -n "$checker" ]; then
    kill -TERM "$checker" 2>/dev/null || true
    wait "$checker" 2>/dev/null || true
  fi
}
cleanup() {
  local pgid
  if [ -s "$SMOKE_PGID_FILE" ]; then
    while read -r pgid; do
      kill -KILL -- "-$pgid" 2>/dev/null || true
    done < "$SMOKE_PGID_FILE"
  fi
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'stop_checker; exit 130' INT
trap 'stop_checker; exit 143' TERM

echo "smoke: fresh virtualenv $venv with $python ($("$python" --version)), requirements.txt only"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
"$venv/bin/python" -m pip check --disable-pip-version-check
echo "smoke: installed in $(( $(date +%s) - started ))s"

# In the background, so that a signal to this script reaches the traps at once; `timeout` bounds
# a checker that would hang despite its own --timeout.
timeout --kill-after=15 "$(( timeout + 30 ))" \
  "$venv/bin/python" scripts/smoke_production.py --timeout "$timeout" --venv "$venv" &
checker=$!
status=0
wait "$checker" || status=$?
checker=""
if [ "$status" -eq 0 ]; then
  echo "smoke: passed in $(( $(date +%s) - started ))s"
else
  echo "smoke: FAILED (exit $status) after $(( $(date +%s) - started ))s" >&2
fi
exit "$status"
