#!/usr/bin/env bash
# The native benchmarks: a ~100 MB PubTator corpus read by `wc -l`, `litview stats` and Python's
# `bioc` package, each timed several times (hyperfine) and once for peak memory (/usr/bin/time);
# then `cargo bench` (benches/parsers.rs). Writes the figures, the commands and the machine into
# BENCHMARKS.md between <!-- native:start --> and <!-- native:end -->. Then builds the page and
# runs `node scripts/bench-browser.mjs`, which writes the browser figures and the page weight
# between <!-- browser:start --> and <!-- browser:end -->. What is written by hand is kept.
#
#   scripts/bench.sh                      everything, the page's figures too (about 12 minutes on two cores)
#   SKIP_BROWSER=1 scripts/bench.sh       only the native figures
#   RUNS=40 scripts/bench.sh              more runs per command (default 20)
#   SKIP_CRITERION=1 scripts/bench.sh     only the 100 MB comparison
#   BASELINE=path/to/litview scripts/bench.sh   also time another litview, in the same run
#   REPORT_ONLY=1 scripts/bench.sh        rewrite BENCHMARKS.md from the last run's figures
#
# Needs ../shared (the corpora); without it, says so and stops. Installs hyperfine and time from
# Debian and `bioc` into a venv under target/bench when they are missing.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
shared=${SHARED:-$root/../shared}
bench=$root/target/bench
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
# Twenty: `litview stats` takes 0.1 s, and with five runs its ratio to `wc -l` was 4.6, 4.7 and
# 5.2 in three runs of this script on this shared machine.
runs=${RUNS:-20}
corpus=$bench/corpus100.pubtator
target_bytes=100000000

if [ ! -d "$shared/data/pubtator" ]; then
  echo "skipped: $shared/data/pubtator is absent, so there is no corpus to measure"
  exit 0
fi
mkdir -p "$bench"

say() { printf '\n== %s\n' "$*" >&2; }

if [ "${REPORT_ONLY:-0}" = 1 ]; then
  # Rewrites BENCHMARKS.md from the figures of the last run, measuring nothing.
  # shellcheck disable=SC1091
  . "$bench/run.env"
else

# 1. Tools. hyperfine repeats each command and reports mean, spread, user and system time.
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi

# 2. The corpus: every file of shared/data/pubtator, in name order, each followed by a blank line
# (some files do not end with one), repeated until the total passes 100 MB. Repeated PMIDs are
# fine: litview reads each record where it stands.
sources=$(find "$shared/data/pubtator" -type f | LC_ALL=C sort)
manifest=$(printf '%s\n' "$sources" | xargs -d '\n' stat -c '%n %s' | md5sum | cut -d' ' -f1)
if [ ! -f "$corpus" ] || [ "$(cat "$corpus.manifest" 2>/dev/null)" != "$manifest" ]; then
  say "building $corpus"
  : >"$corpus.tmp"
  while [ "$(stat -c %s "$corpus.tmp")" -lt $target_bytes ]; do
    printf '%s\n' "$sources" | while IFS= read -r file; do cat "$file"; printf '\n\n'; done >>"$corpus.tmp"
  done
  mv "$corpus.tmp" "$corpus"
  echo "$manifest" >"$corpus.manifest"
fi
corpus_bytes=$(stat -c %s "$corpus")
corpus_files=$(printf '%s\n' "$sources" | wc -l)

# 3. The programs: litview's release build and bioc in a venv.
say "building litview (release)"
cargo build --release --quiet
litview=$CARGO_TARGET_DIR/release/litview
venv=$bench/venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import bioc' 2>/dev/null; then
  say "installing bioc into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet bioc==2.1
fi
bioc_version=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("bioc"))')
# bioc.pubtator.load(fp) reads the whole file (fp.read()) and splits it into PubTator documents:
# the reader its README shows, and the one that does what `litview stats` does.
cat >"$bench/bioc_load.py" <<'EOF'
import sys

import bioc.pubtator

with open(sys.argv[1], encoding="utf-8") as fp:
    documents = bioc.pubtator.load(fp)
annotations = sum(len(d.annotations) for d in documents)
relations = sum(len(d.relations) for d in documents)
print(f"{len(documents)} documents, {annotations} annotations, {relations} relations")
EOF
python=$venv/bin/python

# 4. Timing, all commands in one hyperfine run so that their ratios share the machine's load.
commands=("wc -l $corpus" "$litview stats $corpus" "$python $bench/bioc_load.py $corpus")
names=("wc -l" "litview stats" "bioc.pubtator.load")
if [ -n "${BASELINE:-}" ]; then
  commands+=("$BASELINE stats $corpus")
  names+=("litview stats (baseline)")
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "timing ${#commands[@]} commands, $runs runs each"
args=()
: >"$bench/commands.tsv"
for i in "${!commands[@]}"; do
  args+=(--command-name "${names[$i]}" "${commands[$i]}")
  printf '%s\t%s\n' "${names[$i]}" "${commands[$i]}" >>"$bench/commands.tsv"
done
hyperfine --style basic --warmup 1 --runs "$runs" --ignore-failure \
  --export-json "$bench/hyperfine.json" "${args[@]}" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# 5. Peak memory, one run each, and what each read (so the comparison is of the same work).
say "peak memory"
: >"$bench/memory.tsv"
for i in "${!commands[@]}"; do
  # shellcheck disable=SC2086 # each command is words on purpose
  /usr/bin/time -v -o "$bench/time.txt" ${commands[$i]} >"$bench/output.txt" 2>/dev/null || true
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$bench/time.txt")
  read_what=$(grep -Eo '[0-9]+ documents.*' "$bench/output.txt" | head -1 || true)
  [ -n "$read_what" ] || read_what=$(head -c 200 "$bench/output.txt" | tr '\n' ' ')
  printf '%s\t%s\t%s\n' "${names[$i]}" "$rss" "$read_what" >>"$bench/memory.tsv"
done

# 6. cargo bench: every parser on its real file, load end to end, view per document.
criterion=
if [ "${SKIP_CRITERION:-0}" != 1 ]; then
  say "cargo bench"
  rm -rf "$CARGO_TARGET_DIR/criterion"
  cargo bench --bench parsers 2>&1 | tee "$bench/criterion.txt" >&2
  criterion=$CARGO_TARGET_DIR/criterion
fi

cat >"$bench/run.env" <<EOF_ENV
corpus='$corpus' corpus_bytes='$corpus_bytes' corpus_files='$corpus_files' runs='$runs'
load_before='$load_before' load_after='$load_after' criterion='$criterion' bioc_version='$bioc_version'
run_date='$(date -u '+%Y-%m-%d %H:%M UTC')' run_commit='$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' + uncommitted changes')'
EOF_ENV
. "$bench/run.env"
fi

# 7. BENCHMARKS.md: the native section is rewritten, the rest kept.
say "writing BENCHMARKS.md"
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
memory=$(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)
export BENCH_CORPUS=$corpus BENCH_CORPUS_BYTES=$corpus_bytes BENCH_CORPUS_FILES=$corpus_files BENCH_RUNS=$runs \
  BENCH_CPU="$cpu" BENCH_NPROC=$(nproc) BENCH_MEMORY="$memory" BENCH_DATE="$run_date" \
  BENCH_LOAD_BEFORE="$load_before" BENCH_LOAD_AFTER="$load_after" BENCH_CRITERION="$criterion" \
  BENCH_RUSTC="$(rustc --version)" BENCH_COMMIT="$run_commit" \
  BENCH_BIOC="$bioc_version" BENCH_ROOT="$root" BENCH_DIR="$bench"
python3 - <<'EOF'
import json, os, re
from pathlib import Path

env = os.environ
root, bench = Path(env["BENCH_ROOT"]), Path(env["BENCH_DIR"])
size = int(env["BENCH_CORPUS_BYTES"])
results = {r["command"]: r for r in json.loads((bench / "hyperfine.json").read_text())["results"]}
commands = dict(line.split("\t", 1) for line in (bench / "commands.tsv").read_text().splitlines())
memory = {}
for line in (bench / "memory.tsv").read_text().splitlines():
    name, rss, what = (line.split("\t") + ["", ""])[:3]
    memory[name] = (int(rss) * 1024 if rss.isdigit() else None, what)

def rel(path):
    return str(path).replace(str(root) + "/", "")

def cpu(r):
    return r["user"] + r["system"]

out = []
out.append("## Native: the 100 MB corpus")
out.append("")
out.append(f"Measured {env['BENCH_DATE']} by `scripts/bench.sh` on {env['BENCH_NPROC']} cores of {env['BENCH_CPU']}, "
           f"{env['BENCH_MEMORY']} memory; {env['BENCH_RUSTC']}, litview {env['BENCH_COMMIT']}. "
           f"Load average (1, 5, 15 min) {env['BENCH_LOAD_BEFORE']} before the timing and {env['BENCH_LOAD_AFTER']} after: "
           "other builds share this machine, so compare the ratios of one run rather than seconds across runs, "
           "and CPU time (user + system) rather than wall time when the load is high.")
out.append("")
out.append(f"The corpus: `{rel(env['BENCH_CORPUS'])}`, {size:,} bytes ({size / 1e6:.1f} MB), the "
           f"{env['BENCH_CORPUS_FILES']} files of `shared/data/pubtator` concatenated in name order, each followed by "
           "a blank line, repeated until it passes 100 MB. Each command ran "
           f"{env['BENCH_RUNS']} times after one warm-up run (hyperfine); peak memory is one more run under "
           "`/usr/bin/time -v`.")
out.append("")
out.append("| command | wall time (mean ± sd) | CPU time (user + sys) | MB/s (wall) | peak memory | what it read |")
out.append("|---|---|---|---|---|---|")
for name, r in results.items():
    rss, what = memory.get(name, (None, ""))
    mem = f"{rss / 1e6:,.0f} MB ({rss / size:.1f}× the file)" if rss else "?"
    out.append(f"| {name} | {r['mean']:.3f} s ± {r['stddev']:.3f} | {cpu(r):.3f} s | {size / 1e6 / r['mean']:,.0f} | {mem} | {what} |")
out.append("")
out.append("The exact commands:")
out.append("")
out.append("```sh")
for name, r in results.items():
    out.append(f"# {name}")
    out.append(rel(commands.get(name, "?")).replace(str(root) + "/", ""))
out.append("```")
out.append("")
wc, lv, bio = results.get("wc -l"), results.get("litview stats"), results.get("bioc.pubtator.load")
out.append("Ratios from this run (targets: litview within 5× of `wc -l`, at least 30× faster than `bioc`):")
out.append("")
out.append("| ratio | wall time | CPU time | target |")
out.append("|---|---|---|---|")
def verdict(value, target, above):
    ok = value >= target if above else value <= target
    return "met" if ok else "**missed**"
if wc and lv:
    w, c = lv["mean"] / wc["mean"], cpu(lv) / cpu(wc)
    out.append(f"| litview stats ÷ wc -l | {w:.1f}× | {c:.1f}× | ≤ 5× ({verdict(w, 5, False)} on wall time) |")
if bio and lv:
    w, c = bio["mean"] / lv["mean"], cpu(bio) / cpu(lv)
    out.append(f"| bioc ÷ litview stats | {w:.1f}× | {c:.1f}× | ≥ 30× ({verdict(w, 30, True)} on wall time) |")
for extra in ("litview stats (baseline)",):
    r = results.get(extra)
    if r and wc and bio:
        out.append(f"| {extra} ÷ wc -l | {r['mean'] / wc['mean']:.1f}× | {cpu(r) / cpu(wc):.1f}× | |")
        out.append(f"| bioc ÷ {extra} | {bio['mean'] / r['mean']:.1f}× | {cpu(bio) / cpu(r):.1f}× | |")
out.append("")
out.append(f"`bioc` {env['BENCH_BIOC']} (PyPI) `bioc.pubtator.load` reads title, abstract and the annotation and "
           "relation lines into objects; it does not check offsets against the text, and it takes a 5-column "
           "annotation line (no concept id) for a relation, so it counts fewer annotations than litview. `litview stats` "
           "decodes, detects the format, reads every line as the parser does, checks every annotation's offsets "
           "against the text and counts; for PubTator it does so without building the document objects, with the "
           "counts of building and validating them (tests/properties.rs, the `pubtator` fuzz target).")
out.append("")

crit = env.get("BENCH_CRITERION")
if crit and Path(crit).is_dir():
    rows = []
    for bench_json in sorted(Path(crit).glob("**/new/benchmark.json")):
        info = json.loads(bench_json.read_text())
        estimates = json.loads((bench_json.parent / "estimates.json").read_text())
        mean_ns = estimates["mean"]["point_estimate"]
        throughput = info.get("throughput") or {}
        if "Bytes" in throughput:
            figure = f"{throughput['Bytes'] / mean_ns * 1e3:,.1f} MB/s"
            amount = f"{throughput['Bytes']:,} bytes"
        elif "Elements" in throughput:
            figure = f"{mean_ns / throughput['Elements'] / 1e3:,.1f} µs per document"
            amount = f"{throughput['Elements']:,} documents"
        else:
            figure, amount = "", ""
        rows.append(f"| {info['group_id']} | {info.get('function_id') or ''} | {info.get('value_str') or ''} | {amount} | {mean_ns / 1e6:,.3f} ms | {figure} |")
    out.append("## Native: every parser (cargo bench)")
    out.append("")
    out.append("`cargo bench --bench parsers` (benches/parsers.rs, criterion), in the same run as the table above. "
               "`parse` is the format's reader alone on a real file of `shared/` (no detection, no validation); "
               "`load` is decode, detect, parse and validate, what `litview parse` and the page do; `view` is the "
               "page's view of each document of the same file; `infer` recognizes every annotated mention in every document "
               "of it, its size the documents' text. MB/s is 10^6 bytes per second of the mean time.")
    out.append("")
    out.append("| group | format | file | size | mean time | throughput |")
    out.append("|---|---|---|---|---|---|")
    out.extend(rows)
    out.append("")

native = "\n".join(out)
path = root / "BENCHMARKS.md"
start, end = "<!-- native:start -->", "<!-- native:end -->"
block = f"{start}\n{native}\n{end}"
text = path.read_text() if path.exists() else ""
if start in text and end in text:
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    text = f"{before}{block}{after}"
elif "<!-- browser:start -->" in text:
    # The browser figures and the page weight (another script's) stay where they are, after ours.
    before, after = text.split("<!-- browser:start -->", 1)
    text = f"{before.rstrip()}\n\n{block}\n\n<!-- browser:start -->{after}"
elif text.startswith("# "):
    title, _, rest = text.partition("\n")
    text = f"{title}\n\n{block}\n{rest}"
elif text:
    text = f"{block}\n\n{text}"
else:
    text = f"""# Benchmarks

{block}

<!-- browser:start -->
## Browser

Not measured yet: `node scripts/bench-browser.mjs` fills this part.

## Page weight

Not measured yet: `node scripts/bench-browser.mjs` fills this part.
<!-- browser:end -->
"""
path.write_text(text)
print(native)
EOF

# 6. The page in headless Chromium: the 100 MB corpus dropped on it, the five seeds, the page's
# weight (scripts/bench-browser.mjs, which writes its own part of BENCHMARKS.md).
if [ "${SKIP_BROWSER:-0}" != 1 ] && [ "${REPORT_ONLY:-0}" != 1 ]; then
  say "the page in headless Chromium (scripts/bench-browser.mjs)"
  scripts/setup.sh --browser
  scripts/build.sh
  node scripts/bench-browser.mjs >"$bench/browser-run.json"
  echo "browser figures: $bench/browser.json" >&2
fi
