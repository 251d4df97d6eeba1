# Sourced by the validator scripts: `ensure_venv REQUIREMENTS` makes sure the virtualenv $venv
# (default .ci/.venv) exists and holds the pinned packages of REQUIREMENTS, installing them when
# they are missing or their pins changed (a stamp beside the virtualenv remembers each file).
ci_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${VENV:-$ci_dir/.venv}

ensure_venv() {
  local requirements=$1
  local stamp
  stamp=$venv/.$(basename "$requirements")
  if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
  fi
}
