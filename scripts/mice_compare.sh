#!/usr/bin/env bash
# MICE against scikit-learn's IterativeImputer on the shared tables, seeds 1-3, MCAR 40 %, 2 threads:
# per table, scikit-learn (scripts/mice_sklearn.py) then `miri-bench quality --methods mice`, back to
# back so both see the same machine load; then one side-by-side Markdown table (RMSE, MMD, W1,
# seconds) on standard output. Needs `pip install scikit-learn` and a release build.
# Usage: scripts/mice_compare.sh [OUT_DIR] (default results/mice-vs-sklearn); TABLES overrides the list.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/mice-vs-sklearn}
tables=${TABLES:-"yacht forest housing stock energy concrete solar airfoil wine pumadyn32nm bike protein"}
bench=.build/release/miri-bench
[ -x "$bench" ] || swift build -c release --product miri-bench
mkdir -p "$out"
for t in $tables; do
  python3 scripts/mice_sklearn.py --datasets "$t" --threads 2 --json "$out/sklearn-$t.json"
  "$bench" quality --methods mice --datasets "$t" --threads 2 --out "$out/ours-$t" --quiet > /dev/null
done
python3 scripts/mice_sklearn.py --from "$out"/sklearn-*.json --ours "$out"/ours-*/results.json | tee "$out/side-by-side.md"
