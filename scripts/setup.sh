#!/usr/bin/env bash
# Installs what building and testing litview needs, idempotently and without asking.
# A second run only checks and returns in a second or two.
#   scripts/setup.sh            the build tools (wasm32 std, Trunk, wasm-bindgen-cli, wasm-opt)
#   scripts/setup.sh --browser  the same, plus Chromium, its driver and playwright-core
# LITVIEW_FORCE_DEBIAN_STD=1 skips rustup and takes the Debian route for the wasm32 std.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

log() { printf 'setup: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. The wasm32 standard library: rustup's target where it downloads, else Debian's
#    rustc-web (see scripts/env.sh, which routes wasm commands to it).
wasm_std_rustup() { ls "$(rustc --print sysroot)"/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1; }
wasm_std_debian() { [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] && [ -e /usr/bin/rust-lld ]; }
if [ "${LITVIEW_FORCE_DEBIAN_STD:-0}" != 1 ] && wasm_std_rustup; then
  :
elif [ "${LITVIEW_FORCE_DEBIAN_STD:-0}" != 1 ] && have rustup && timeout 120 rustup target add wasm32-unknown-unknown >&2 && wasm_std_rustup; then
  log "wasm32 std installed with rustup"
elif wasm_std_debian; then
  :
else
  log "rustup could not provide the wasm32 std: using Debian's rustc-web"
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
fi

# 1b. The standard library's source, so the page's build can rebuild std for size (env.sh's
#     page_build). Optional: without it the page builds as before, about 20 KB bigger gzipped.
if [ "${LITVIEW_FORCE_DEBIAN_STD:-0}" != 1 ] && wasm_std_rustup && have rustup \
  && [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  timeout 120 rustup component add rust-src >&2 || log "rust-src did not install: the page is built without rebuilding std"
fi

# 2. Trunk, pinned: 0.22 needs a newer rustc than this machine's.
if ! (have trunk && trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"); then
  log "installing trunk $TRUNK_VERSION (about 14 minutes on 2 cores, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked >&2
fi

# 3. wasm-bindgen-cli at exactly the version Cargo.lock pins: Trunk only uses the CLI on
#    PATH when the versions match, and otherwise tries to download one, which fails offline.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  log "Cargo.lock names no wasm-bindgen version"; exit 1
fi
if ! (have wasm-bindgen && wasm-bindgen --version | grep -q " $bindgen_version\$"); then
  log "installing wasm-bindgen-cli $bindgen_version (about 6 minutes, once)"
  cargo install wasm-bindgen-cli --version "$bindgen_version" --locked >&2 \
    || cargo install wasm-bindgen-cli --version "$bindgen_version" >&2
fi

# 4. npm packages from package-lock.json: binaryen's wasm-opt (Debian's is too old to read
#    wasm-bindgen's output) and, for tests, playwright-core (no browser download).
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# 5. Chromium and its driver for the browser tests.
if [ "$want_browser" = 1 ] && ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
  apt_install chromium chromium-driver
fi
log "ready"
