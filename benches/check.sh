#!/usr/bin/env bash
# Time `shelflife check fixtures/demo` from a warm lifecycle cache: the endoflife.date snapshot
# (../shared/endoflife/products-full.json, else the small fixture dataset) imported into a fresh
# store, one run to warm the file cache, then timed runs, offline (no request is made). Uses
# hyperfine when it is installed (apt-get install hyperfine), else a loop that prints the median.
#   benches/check.sh [RUNS]          (build first: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-30}
bin=${SHELFLIFE_BIN:-target/release/shelflife}
dataset=../shared/endoflife/products-full.json
[ -f "$dataset" ] || dataset=fixtures/endoflife/test-dataset.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" --quiet --db "$work/shelflife.db" eol import "$dataset"
check=("$bin" --quiet --db "$work/shelflife.db" --offline --as-of 2026-01-01 check fixtures/demo --format json -o /dev/null)
"${check[@]}" || [ $? -eq 1 ]

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs "$runs" --ignore-failure --command-name "check fixtures/demo (warm cache)" "${check[*]}"
else
  times=()
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "${check[@]}" || true
    times+=($(( ($(date +%s%N) - start) / 1000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "check fixtures/demo (warm cache): median $(( sorted[runs / 2] / 1000 )).$(( sorted[runs / 2] % 1000 / 100 )) ms over $runs runs"
fi
