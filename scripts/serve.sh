#!/usr/bin/env bash
# Builds the page and serves it on http://127.0.0.1:${PORT:-8080}/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec node scripts/static-server.mjs dist "${PORT:-8080}"
