#!/usr/bin/env bash
# Builds the release page into dist/ (the static site the GitHub Pages workflow publishes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
page_build trunk build --release "$@"
echo "build: the static site is in $(pwd)/dist" >&2
