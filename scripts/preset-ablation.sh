#!/usr/bin/env bash
# The ablation sweep behind the fast preset of issue 10 (docs/benchmarks.md, "The ablation sweep"):
# the preset, the preset with one of its issue-10 changes taken out, the old preset, and the
# candidates, on the twelve shared tables and the demo's two, MIRI only, one thread per run.
#
#   scripts/preset-ablation.sh OUT [JOBS] [SEEDS]
#
# OUT gets real/VARIANT and moons/VARIANT folders and the sweep's sweep.md, sweep.csv, sweep.svg.
set -euo pipefail
out=${1:?usage: scripts/preset-ablation.sh OUT [JOBS] [SEEDS]}
jobs=${2:-2}
seeds=${3:-1,2}
bench=${MIRI_BENCH:-.build/release/miri-bench}
variants='fast|
lr1e-3|--lr 0.001
old-fast|--no-warm-start --chain-rows 0 --weight-average 0 --lr 0.001
no-warm-start|--no-warm-start
no-chains|--chain-rows 0
no-weight-average|--weight-average 0
rounds5|--rounds 5'
mkdir -p "$out/real" "$out/moons"
echo "$variants" | while IFS='|' read -r name flags; do
    echo "moons|$name|$flags"; echo "real|$name|$flags"
done | xargs -P "$jobs" -I{} bash -c '
    IFS="|" read -r kind name flags <<< "$1"
    dir=$5/$kind/$name
    [ -s "$dir/results.json" ] && exit 0               # resumable: finished variants are kept
    data=""; [ "$kind" = moons ] && data="--data synthetic --datasets two-moons,copula"
    # shellcheck disable=SC2086
    "$2" quality $data --methods miri --seeds "$3" --threads 1 --quiet --out "$dir.part" $flags > /dev/null
    rm -rf "$dir"; mv "$dir.part" "$dir"
    echo "finished $kind $name"
' _ {} "$bench" "$seeds" "" "$out"
"$bench" sweep --baseline fast --out "$out" "$out/real" "$out/moons"
