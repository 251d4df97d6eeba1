#!/usr/bin/env bash
# Validate the reports of `shelflife check` in DIR:
#   *.sarif       against the official SARIF 2.1.0 JSON schema (sarif-2.1.0-rtm.5.json, as
#                 shipped in Microsoft's @microsoft/jest-sarif npm package, pinned by version and
#                 checked by SHA-256; fetched with `npm pack`, not vendored)
#   *.check.json  against docs/schemas/check.schema.json
#   *.junit.xml   read by junitparser, a JUnit consumer
# The validators (.ci/report-validators.txt) go into the virtualenv $VENV (default .ci/.venv).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
ensure_venv "$ci_dir/report-validators.txt"

package=@microsoft/jest-sarif@1.0.0-beta.0
schema_sha256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8
cache=$ci_dir/.cache/sarif
schema=$cache/sarif-2.1.0-rtm.5.json
if [ ! -f "$schema" ] || ! echo "$schema_sha256  $schema" | sha256sum --check --status; then
  rm -rf "$cache" && mkdir -p "$cache"
  (cd "$cache" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json)
  mv "$cache/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema"
  echo "$schema_sha256  $schema" | sha256sum --check --quiet
fi

"$venv/bin/python" "$ci_dir/validate_reports.py" --sarif-schema "$schema" \
  --check-schema "$ci_dir/../docs/schemas/check.schema.json" "$dir"
