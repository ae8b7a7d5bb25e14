#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a bounded time:
#   csv    the CSV reader and writer (Fuzz/CSVReaderFuzz.swift)
#   model  the model and checkpoint readers, MIRI and MICE models (Fuzz/ModelReaderFuzz.swift)
#   mixed  mixed tables with kind flags and non-UTF-8 categories (Fuzz/MixedTableFuzz.swift)
#   analyze  analyze's formula and list parsers, completed files in Double, pooling (Fuzz/AnalyzeFuzz.swift)
#   micewide  MICE's proper draws on tables of more than 100 columns (Fuzz/MICEWideFuzz.swift)
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 60 seconds, every target
#
# Each target starts from its seed corpus in Fuzz/corpus/TARGET (kept small, in git) plus what
# earlier runs found in .build/fuzz/corpus-TARGET (not in git). A crash, a failed check, a leak
# or an input running over 10 s stops the run with a non-zero status; libFuzzer writes the input
# to .build/fuzz/artifacts-TARGET/ and prints it. Replay one with
#   .build/fuzz/fuzz-TARGET .build/fuzz/artifacts-TARGET/crash-…
#
# (-package-name: the modules use `package` access, which needs one package name for all of them.)
# Why swiftc by hand: SwiftPM has no libFuzzer mode, and the targets need the package's
# modules instrumented (-sanitize=fuzzer,address adds coverage and AddressSanitizer) without
# libFuzzer's main in them. So each module is compiled here into a static library with the
# instrumentation, in dependency order, and only the fuzz entry point is linked with libFuzzer.
# Needs: the Swift toolchain's libFuzzer (Linux toolchains ship it) and OpenBLAS (setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("${@:-csv model mixed analyze micewide}")
targets=(${targets[@]})

"$(dirname "$0")/setup.sh"
out=.build/fuzz
mkdir -p "$out/modules"
blas_include=$(pkg-config --cflags-only-I openblas | sed 's/^-I//; s/ *$//')
blas_libs=$(pkg-config --libs-only-L openblas)
flags=(-O -g -sanitize=fuzzer,address -parse-as-library -package-name MIRI -use-ld=lld -I "$out/modules" -I Sources/CBLAS
       -I Sources/CKernels/include -Xcc "-I$blas_include")

# The C target Linalg imports (cpuid, OpenBLAS's core switch, the AVX2/AVX-512 kernels), as a
# static library: plain clang -O2, not instrumented (its loops are tested, not fuzzed).
c_module() {
    local lib="$out/modules/libCKernels.a"
    if [ -f "$lib" ] && [ -z "$(find Sources/CKernels -newer "$lib" -type f)" ]; then return; fi
    echo "fuzz: compiling CKernels" >&2
    local objects=()
    for f in Sources/CKernels/*.c; do
        clang -O2 -g -fPIC -I Sources/CKernels/include -c "$f" -o "$out/modules/CKernels-$(basename "$f" .c).o"
        objects+=("$out/modules/CKernels-$(basename "$f" .c).o")
    done
    rm -f "$lib"
    ar rcs "$lib" "${objects[@]}"
}

# module NAME [DEPENDENCY...]: compiles Sources/NAME/*.swift into $out/modules/libNAME.a and
# NAME.swiftmodule, unless the library is newer than every source and every dependency's library.
module() {
    local name=$1 lib="$out/modules/lib$1.a"; shift
    local deps=()
    for d in "$@"; do deps+=("$out/modules/lib$d.a"); done
    if [ -f "$lib" ] && [ -z "$(find "Sources/$name" "${deps[@]}" -name '*.swift' -newer "$lib" -o -name '*.a' -newer "$lib")" ]; then
        return
    fi
    echo "fuzz: compiling $name" >&2
    local sources=()
    mapfile -t sources < <(find "Sources/$name" -name '*.swift' | LC_ALL=C sort)  # a module's folders nest
    swiftc "${flags[@]}" -module-name "$name" -emit-library -static -emit-module \
        -emit-module-path "$out/modules/$name.swiftmodule" -o "$lib" "${sources[@]}"
}

# target NAME FILE MODULES...: links the entry point FILE against the modules.
target() {
    local name=$1 file=$2; shift 2
    echo "fuzz: linking fuzz-$name" >&2
    local libs=()
    for m in "$@"; do libs+=("-l$m"); done
    swiftc "${flags[@]}" -module-name "Fuzz_$name" "$file" -L "$out/modules" "${libs[@]}" -lCKernels \
        $blas_libs -lopenblas -llapacke -ldl -o "$out/fuzz-$name"
}

c_module
module Linalg CKernels
module TableIO Linalg
for t in "${targets[@]}"; do
    case $t in
        csv) target csv Fuzz/CSVReaderFuzz.swift TableIO Linalg ;;
        model)
            module Flow Linalg; module Imputation Flow Linalg; module ModelStore Imputation Flow Linalg TableIO
            target model Fuzz/ModelReaderFuzz.swift ModelStore Imputation TableIO Flow Linalg ;;
        mixed)
            module Flow Linalg; module Imputation Flow Linalg
            target mixed Fuzz/MixedTableFuzz.swift Imputation TableIO Flow Linalg ;;
        analyze)
            module Flow Linalg; module Imputation Flow Linalg
            target analyze Fuzz/AnalyzeFuzz.swift Imputation TableIO Flow Linalg ;;
        micewide)
            module Flow Linalg; module Imputation Flow Linalg
            target micewide Fuzz/MICEWideFuzz.swift Imputation Flow Linalg ;;
        *) echo "fuzz: unknown target $t (csv, model, mixed, analyze, micewide)" >&2; exit 64 ;;
    esac
done

status=0
# Swift's own crash handler would print over libFuzzer's report (and trips AddressSanitizer).
export SWIFT_BACKTRACE=enable=no
for t in "${targets[@]}"; do
    mkdir -p "$out/corpus-$t" "$out/artifacts-$t"
    dict=(); [ -f "Fuzz/$t.dict" ] && dict=("-dict=Fuzz/$t.dict")
    echo "fuzz: running $t for ${seconds}s" >&2
    # New inputs go to the first folder; the seeds in git are only read.
    if ! "$out/fuzz-$t" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 "${dict[@]}" -artifact_prefix="$out/artifacts-$t/" \
            "$out/corpus-$t" "Fuzz/corpus/$t" 2>"$out/$t.log"; then
        status=1
        tail -n 60 "$out/$t.log" >&2
    fi
    grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb' "$out/$t.log" \
        | sed "s/^/fuzz: $t: /" >&2 || true
done
exit $status
