#!/usr/bin/env bash
# Counts the public symbols of the library's modules, from their symbol graphs (the release
# build must exist: swift build -c release). Prints one line per module and the total, and
# lists any public symbol declared in the sources without a doc comment.
#
#   scripts/public-symbols.sh [MODULE...]     default: Linalg Flow TableIO Imputation ModelStore MIRI
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("${@:-Linalg Flow TableIO Imputation ModelStore MIRI}")
modules=(${modules[@]})
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
built=$(swift build -c release --show-bin-path)/Modules
blas_include=$(pkg-config --cflags-only-I openblas | sed 's/^-I//; s/ *$//')
for m in "${modules[@]}"; do
    swift symbolgraph-extract -module-name "$m" -I "$built" -target "$(uname -m)-unknown-linux-gnu" \
        -minimum-access-level public -output-dir "$out" \
        -Xcc "-I$blas_include" -Xcc -fmodule-map-file=Sources/CBLAS/module.modulemap \
        -Xcc -ISources/CKernels/include -Xcc -fmodule-map-file=Sources/CKernels/include/module.modulemap >/dev/null
done
python3 - "$out" "${modules[@]}" <<'PY'
import glob, json, os, sys
out, modules = sys.argv[1], sys.argv[2:]
total, undocumented = 0, []
for m in modules:
    symbols = []
    for f in glob.glob(os.path.join(out, m + ".symbols.json")) + glob.glob(os.path.join(out, m + "@*.symbols.json")):
        symbols += json.load(open(f))["symbols"]
    total += len(symbols)
    print(f"{m} {len(symbols)}")
    undocumented += [".".join(s["pathComponents"]) for s in symbols if "location" in s and "docComment" not in s]
print(f"total {total}")
for name in undocumented:
    print(f"undocumented: {name}")
PY
