#!/usr/bin/env bash
# Runs every test: the core natively, the wasm API in headless Chromium, and the built page end
# to end in headless Chromium. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh

step() { printf '\n== %s\n' "$*" >&2; }

step "native tests (cargo test)"
# Property tests draw from a fixed seed here so that a run is repeatable; a longer search with
# fresh seeds is `PROPTEST_CASES=100000 cargo test --release --test properties`.
PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261121}" cargo test --all-targets

step "wasm API tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver wasm cargo test --target wasm32-unknown-unknown --no-default-features --test wasm

step "release build of the page (trunk build --release)"
page_build trunk build --release

step "browser end-to-end tests (node --test, playwright-core, Debian's Chromium)"
node --test --test-concurrency=1 tests/e2e/
