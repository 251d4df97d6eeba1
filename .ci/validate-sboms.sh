#!/usr/bin/env bash
# Validate every SBOM in DIR with the reference validators of the CycloneDX and SPDX projects:
#   *.cdx.json, *.cdx.xml  cyclonedx-python-lib, against the spec version each file declares
#   *.spdx.json, *.spdx    spdx-tools (`pyspdxtools -i FILE`)
# The validators are installed (pinned, .ci/sbom-validators.txt) into the virtualenv $VENV
# (default .ci/.venv), which is created when missing. Exits non-zero, naming each failing file,
# when any document is invalid or DIR holds no SBOM at all.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
ensure_venv "$ci_dir/sbom-validators.txt"

shopt -s nullglob
cyclonedx=("$dir"/*.cdx.json "$dir"/*.cdx.xml)
spdx=("$dir"/*.spdx.json "$dir"/*.spdx)
if [ ${#cyclonedx[@]} -eq 0 ] && [ ${#spdx[@]} -eq 0 ]; then
  echo "no SBOM (*.cdx.json, *.cdx.xml, *.spdx.json, *.spdx) in $dir" >&2
  exit 1
fi

failed=()
if [ ${#cyclonedx[@]} -gt 0 ]; then
  if ! "$venv/bin/python" "$ci_dir/validate_cyclonedx.py" "${cyclonedx[@]}"; then
    failed+=("CycloneDX documents listed above")
  fi
fi
for file in "${spdx[@]}"; do
  if "$venv/bin/pyspdxtools" -i "$file"; then
    echo "valid   $file"
  else
    echo "INVALID $file"
    failed+=("$file")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  printf 'SBOM validation failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "all SBOMs in $dir are valid"
