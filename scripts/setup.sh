#!/usr/bin/env bash
# Create or update the virtualenv in .venv with a Python >= 3.12 (Django 6.1 needs it).
#   scripts/setup.sh        runtime requirements
#   scripts/setup.sh dev    runtime + test tools
# The interpreter: $PYTHON if set, else the first suitable one on PATH, else pyenv's versions.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

suitable() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.13 python3.12 python3 python \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[3-9]*/bin/python3 \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && suitable "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! suitable .venv/bin/python; then
  if ! python=$(find_python); then
    cat >&2 <<'MSG'
Digipunt Helpdesk needs Python 3.12 or newer, and none was found (tried $PYTHON, PATH and pyenv).
Install one, for example:  apt-get install python3.12-venv   or   pyenv install 3.13
Then run this command again, or point to it:  PYTHON=/path/to/python3.13 make run
MSG
    exit 1
  fi
  echo "Creating .venv with $python ($("$python" --version))"
  rm -rf .venv
  "$python" -m venv .venv
fi

requirements=requirements.txt
[ "$mode" = dev ] && requirements=requirements-dev.txt
# Reinstall only when the requirement files changed since the last install.
stamp=.venv/.installed-$mode
digest=$(cat requirements.txt "$requirements" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$digest" > "$stamp"
fi

# Compiled catalogues are committed; recompile when gettext is here so edits to .po files count
# (not those of the packages in .venv, or in .venv-prod of the production smoke test).
if command -v msgfmt >/dev/null 2>&1; then
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=.venv-prod -v0
fi
