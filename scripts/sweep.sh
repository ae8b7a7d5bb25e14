#!/usr/bin/env bash
# The fast-preset sweep behind docs/benchmarks.md ("Choosing the fast preset").
#
# Runs `miri-bench quality --methods miri` once per variant: flags on top of the sweep's centre,
# `--preset fast --hidden 256,256` (the fast preset before this sweep; a later flag wins),
# JOBS variants at a time with 1 OpenBLAS thread each, then `miri-bench sweep` draws the
# RMSE / W1 / CRPS-against-seconds chart and marks the cost/quality front.
#
#   scripts/sweep.sh OUT [JOBS] [DATASETS] [SEEDS]
#
# OUT gets one folder per variant plus sweep.md, sweep.csv and sweep.svg.
set -euo pipefail
out=${1:?usage: scripts/sweep.sh OUT [JOBS] [DATASETS] [SEEDS]}
jobs=${2:-2}
datasets=${3:-yacht,housing,energy,concrete,airfoil,wine}
seeds=${4:-1,2,3}
bench=${MIRI_BENCH:-.build/release/miri-bench}

# name|flags  (one factor at a time around the centre, plus cheaper combinations)
centre='--hidden 256,256'
variants='hidden256|
hidden128|--hidden 128,128
hidden512|--hidden 512,512
hidden256x3|--hidden 256,256,256
spr300|--steps-per-round 300
spr1200|--steps-per-round 1200
batch64|--batch-size 64
batch256|--batch-size 256
euler10|--steps 10
euler50|--steps 50
rounds5|--rounds 5
rounds20|--rounds 20
lr3e-4|--lr 0.0003
lr3e-3|--lr 0.003
hidden128-rounds5|--hidden 128,128 --rounds 5
hidden128-spr300|--hidden 128,128 --steps-per-round 300'

mkdir -p "$out"
echo "$variants" | while IFS='|' read -r name flags; do
    [ -s "$out/$name/results.json" ] && continue        # resumable: finished variants are kept
    echo "$name|$flags"
done | xargs -P "$jobs" -I{} bash -c '
    name=${1%%|*}; flags=${1#*|}
    # shellcheck disable=SC2086
    "$2" quality --methods miri --preset fast $6 $flags --threads 1 --draws 5 --quiet \
        --datasets "$3" --seeds "$4" --out "$5/$name.part" > /dev/null
    rm -rf "$5/$name"; mv "$5/$name.part" "$5/$name"
    echo "finished $name"
' _ {} "$bench" "$datasets" "$seeds" "$out" "$centre"

"$bench" sweep --baseline hidden256 "$out"
