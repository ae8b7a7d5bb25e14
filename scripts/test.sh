#!/usr/bin/env bash
# Installs what the package needs (OpenBLAS, LAPACKE) when missing, then builds and runs the tests.
# Tests run in release mode: the SIMD kernels and training loops are far too slow unoptimised.
set -euo pipefail
cd "$(dirname "$0")/.."
"$(dirname "$0")/setup.sh"
python3 scripts/check-imports.py
python3 scripts/check-map.py
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release -Xswiftc -enable-testing --skip-build --parallel --num-workers 1 "$@"
