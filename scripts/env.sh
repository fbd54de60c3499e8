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
