# Sourced by the build and test scripts: puts the project's tools on PATH and, when the wasm32
# standard library comes from Debian's rustc-web rather than rustup, routes wasm commands there.
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

# Runs a wasm32 command (trunk build, cargo test --target wasm32-unknown-unknown) with the
# toolchain that has the wasm32 std.
wasm() {
  if [ "${LITVIEW_FORCE_DEBIAN_STD:-0}" != 1 ] \
    && ls "$(rustc --print sysroot)"/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1; then
    # The page's wasm is built for size (Cargo.toml's release profile is for the fast CLI).
    CARGO_PROFILE_RELEASE_OPT_LEVEL=z "$@"
  else
    # Debian's rustc-web builds std from source; rustup's shims would shadow /usr/bin/cargo.
    PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_PROFILE_RELEASE_OPT_LEVEL=z "$@"
  fi
}

# Builds the page (trunk build): the wasm32 command above, and where the standard library's
# source is at hand, std is rebuilt with the page's own settings: a panic aborts at once without
# formatting a message (the worker reports a stopped core either way, see www/worker.js), and
# no panic locations or Debug formatting are kept. That is 21 KB less gzipped wasm (BENCHMARKS.md).
# `--cfg litview_speed` builds the few loops every byte of a corpus goes through for speed
# (src/lib.rs).
# RUSTC_BOOTSTRAP lets the pinned stable toolchain accept these flags, as the Debian route does.
page_build() {
  # Cargo reads RUSTFLAGS before the per-target variable below: say so rather than lose the flags.
  [ -z "${RUSTFLAGS:-}" ] || echo "page_build: RUSTFLAGS is set, so the page's size flags are not applied" >&2
  if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ] || [ "${LITVIEW_FORCE_DEBIAN_STD:-0}" = 1 ] \
    || ! ls "$(rustc --print sysroot)"/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1; then
    RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none --cfg litview_speed" \
      wasm "$@"
  else
    wasm "$@"
  fi
}
