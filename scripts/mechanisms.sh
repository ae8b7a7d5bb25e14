#!/usr/bin/env bash
# Quality under MAR and MNAR (../shared/BENCHMARK.md, "Masks under MAR and MNAR"): runs
# `miri-bench quality` once per mechanism and method over the shared tables, then writes one
# summary table (RMSE, MMD, W1, bias, NN ratio; mean ± std over the seeds).
#
#   scripts/mechanisms.sh [OUT]          # OUT defaults to results/mechanisms
#
# Settings, from the environment (defaults in brackets):
#   METHODS     methods, space separated [mean knn miri]; add mice once `quality --methods` knows it
#   MECHANISMS  [mar mnar mnar-self]
#   DATASETS    comma separated [the twelve shared tables, smallest first]
#   SEEDS [1,2,3]  RATE [0.4]  THREADS [2]  MIRI_BENCH [.build/release/miri-bench]
#   EXTRA       more flags for quality, e.g. "--preset fast --data ../shared/datasets"
#
# OUT/<mechanism>/<method>/ gets quality's results.md, results.json, results.csv and quality.svg.
# A run writes to <method>.part and is renamed when it finishes, so a finished folder is kept on
# the next call (delete it to rerun) and an interrupted one is redone. OUT/summary.md is rewritten
# from every finished folder each time. MIRI over all twelve tables takes hours on two cores
# (protein and bike most of it): try METHODS="mean knn" first.
set -euo pipefail
out=${1:-results/mechanisms}
methods=${METHODS:-mean knn miri}
mechanisms=${MECHANISMS:-mar mnar mnar-self}
datasets=${DATASETS:-yacht,housing,forest,stock,energy,concrete,solar,airfoil,wine,pumadyn32nm,bike,protein}
seeds=${SEEDS:-1,2,3}
rate=${RATE:-0.4}
threads=${THREADS:-2}
bench=${MIRI_BENCH:-.build/release/miri-bench}
extra=${EXTRA:-}

for mechanism in $mechanisms; do
    for method in $methods; do
        dir="$out/$mechanism/$method"
        if [ -s "$dir/results.json" ]; then echo "kept $dir" >&2; continue; fi
        echo "running $mechanism $method -> $dir" >&2
        rm -rf "$dir.part"
        mkdir -p "$out/$mechanism"
        # shellcheck disable=SC2086
        "$bench" quality --mechanism "$mechanism" --rate "$rate" --methods "$method" --datasets "$datasets" \
            --seeds "$seeds" --threads "$threads" --out "$dir.part" $extra > /dev/null
        rm -rf "$dir"
        mv "$dir.part" "$dir"
    done
done

"$bench" summary "$out" --out "$out/summary.md"
