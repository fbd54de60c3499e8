#!/usr/bin/env bash
# Fuzzing litview's parsers with cargo-fuzz (libFuzzer). See FUZZING.md.
#
#   scripts/fuzz.sh seed                 fill fuzz/corpus/<target>/ from ../shared (seeds only)
#   scripts/fuzz.sh run SECONDS [T...]   run each target (all, or those named) for SECONDS, one at a time
#   scripts/fuzz.sh list                 the targets
#
# cargo-fuzz needs nightly features; on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them. One
# fuzzer at a time: these machines have two cores, shared. Set FUZZ_SANITIZER=address to run
# with AddressSanitizer (the default is none: litview has no unsafe code).
# Inputs are cut to FUZZ_MAX_LEN bytes (4096): every parser reads line by line or element by
# element, so short inputs reach the same code, about ten times as often as whole seeds.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED:-$root/../shared}"
corpus="$root/fuzz/corpus"
# Seeds are cut at a line boundary below this size: small inputs mutate faster.
cap=32768
# At most this many seeds per target, so the committed corpus stays small.
per_target=12

targets=(pubtator bioc_xml page load stream jats pubmed_xml bioc_json pubannotation brat ris medline bibtex csl_json any_format detect)

# A seed's name: the file's folder and name, in characters safe anywhere.
name() { printf '%s-%s' "$(basename "$(dirname "$1")")" "$(basename "$1")" | tr -c 'A-Za-z0-9._-' '_'; }

# seed TARGET PREFIX FILE...: copy each file (cut to $cap) as a seed, after PREFIX bytes
# (a printf format: the byte that picks a format or a file name in some targets).
seed() {
    local target="$1" prefix="$2"
    shift 2
    mkdir -p "$corpus/$target"
    local n=0 file out
    for file in "$@"; do
        [ -f "$file" ] || continue
        [ "$n" -lt "$per_target" ] || break
        out="$corpus/$target/seed-$(name "$file")"
        {
            printf "$prefix"
            if [ "$(stat -c %s "$file")" -gt "$cap" ]; then
                head -c "$cap" "$file" | LC_ALL=C sed '$d'
            else
                cat "$file"
            fi
        } >"$out"
        n=$((n + 1))
    done
}

# brat_pairs TARGET PREFIX SEPARATOR: each .txt with its .ann, joined by SEPARATOR.
brat_pairs() {
    local target="$1" prefix="$2" separator="$3" n=0 ann text
    mkdir -p "$corpus/$target"
    while IFS= read -r ann; do
        text="${ann%.ann}.txt"
        [ -f "$text" ] || continue
        [ "$(($(stat -c %s "$ann") + $(stat -c %s "$text")))" -le "$cap" ] || continue
        [ "$n" -lt "$per_target" ] || break
        { printf "$prefix"; cat "$text"; printf "$separator"; cat "$ann"; } \
            >"$corpus/$target/seed-pair-$(name "${ann%.ann}")"
        n=$((n + 1))
    done < <(find "$shared/data/brat" -name '*.ann' | sort)
}

files() { find "$@" -type f 2>/dev/null | sort; }

do_seed() {
    if [ ! -d "$shared/data" ]; then
        echo "no corpus at $shared/data; set SHARED" >&2
        exit 1
    fi
    local d="$shared/data"
    mapfile -t pubtator < <(files "$d/pubtator" "$d/bioc/AIONER")
    mapfile -t bioc_xml < <(files "$d/bioc" -iname '*.xml')
    mapfile -t bioc_json < <(files "$d/bioc" \( -iname '*.json' -o -iname '*.jsonl' \))
    mapfile -t pubannotation < <(files "$d/pubannotation" -name '*.json')
    mapfile -t page < <(files "$shared/seeds")
    mapfile -t ris < <(files "$d/biblio" \( -name '*.ris' -o -name '*.ciw' -o -name 'WoS_txt*' \))
    mapfile -t medline < <(files "$d/biblio" \( -name '*.nbib' -o -name 'PubMed_example.txt' -o -name 'pmc_medlars.txt' \))
    mapfile -t bibtex < <(files "$d/biblio" -name '*.bib')
    mapfile -t csl_json < <(files "$d/biblio/manubot-csl-json" "$d/biblio/factoid-crossref")
    mapfile -t pubmed_xml < <(files "$d/biblio/factoid-pubmed-xml")

    seed pubtator "" "${pubtator[@]}"
    seed bioc_xml "" "${bioc_xml[@]}"
    seed bioc_json "" "${bioc_json[@]}"
    seed pubannotation "" "${pubannotation[@]}"
    seed page "" "${page[@]}"
    seed ris "" "${ris[@]}"
    seed medline "" "${medline[@]}"
    seed bibtex "" "${bibtex[@]}"
    seed csl_json "" "${csl_json[@]}"
    seed pubmed_xml "" "${pubmed_xml[@]}"
    # jats: the shared corpus has no JATS; fuzz/corpus/jats holds the article of tests/jats.rs.
    # stream: first byte the chunk size, second the format (0 detect, 1 PubTator, 2 MEDLINE).
    seed stream '\x07\x01' "${pubtator[@]}"
    seed stream '\x05\x02' "${medline[@]}"
    brat_pairs brat "" '\0'

    # any_format: the first byte is the format's place in FORMATS.
    per_target=3
    seed any_format '\x00' "${pubtator[@]}"
    seed any_format '\x01' "${bioc_xml[@]}"
    seed any_format '\x02' "${bioc_json[@]}"
    seed any_format '\x03' "${pubannotation[@]}"
    seed any_format '\x05' "${csl_json[@]}"
    seed any_format '\x06' "${ris[@]}"
    seed any_format '\x07' "${medline[@]}"
    seed any_format '\x08' "${bibtex[@]}"
    seed any_format '\x09' "${page[@]}"
    # detect and load: the first byte picks the file name (see the targets' NAMES).
    seed detect '\x00' "${pubtator[@]}" && seed detect '\x02' "${bioc_xml[@]}"
    seed detect '\x03' "${bioc_json[@]}" "${pubannotation[@]}" "${csl_json[@]}"
    seed detect '\x06' "${ris[@]}" && seed detect '\x07' "${medline[@]}" && seed detect '\x05' "${bibtex[@]}"
    seed detect '\x00' "${page[@]}"
    seed load '\x04' "${pubtator[@]}" && seed load '\x02' "${bioc_xml[@]}"
    seed load '\x03' "${bioc_json[@]}" "${pubannotation[@]}" "${csl_json[@]}"
    seed load '\x06' "${ris[@]}" && seed load '\x07' "${medline[@]}" && seed load '\x05' "${bibtex[@]}"
    seed load '\x00' "${page[@]}"
    brat_pairs load '\x00' '\n\0\n'
    du -sh "$corpus"
}

do_run() {
    local seconds="$1"
    shift
    local chosen=("$@")
    [ "${#chosen[@]}" -gt 0 ] || chosen=("${targets[@]}")
    cd "$root/fuzz"
    mkdir -p logs
    for target in "${chosen[@]}"; do
        # New inputs the fuzzer finds go to a scratch directory, so fuzz/corpus keeps the seeds.
        local work="$root/fuzz/target/corpus/$target"
        mkdir -p "$work"
        echo "== $target: $seconds s"
        RUSTC_BOOTSTRAP=1 cargo fuzz run -s "${FUZZ_SANITIZER:-none}" "$target" "$work" "corpus/$target" -- \
            -max_total_time="$seconds" -runs="${FUZZ_RUNS:-10000000}" -timeout=1 -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-4096}" -print_final_stats=1 \
            2>&1 | tee "logs/$target.log" | grep -E '^(#[0-9]+.*DONE|stat::|==[0-9]+==|SUMMARY|thread|Failing input|artifact_prefix|Test unit written)' || true
    done
}

case "${1:-}" in
    seed) do_seed ;;
    run) [ $# -ge 2 ] || { echo "usage: $0 run SECONDS [TARGET...]" >&2; exit 2; }; shift; do_run "$@" ;;
    list) printf '%s\n' "${targets[@]}" ;;
    *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
