#!/usr/bin/env bash
# Every number of docs/scaling.md: `miri fit` and `miri apply` under mpirun -np 1, 2, 4 (one
# thread each) on protein repeated 10 times (457,300 rows x 9 columns, MCAR 20%, seed 1), wall
# seconds from /usr/bin/time, per-round training/ODE seconds from the fit's progress lines, the
# all-reduce totals from the fit's summary line, fit and apply timed in alternating pairs, and
# RMSE/MMD of the imputations (seeds 0-4). About 40 minutes on 2 cores.
# Output: results/mpi-scaling/ (the logs) and a summary on standard output.
# Usage: scripts/mpi-scaling.sh [SEEDS (default "0 1 2 3 4")]
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS="${1:-0 1 2 3 4}"
OUT="$PWD/results/mpi-scaling"
source scripts/mpi-protein10.sh
wall() { /usr/bin/time -f %e -o "$1.time" "${@:2}" 2> "$1.log" || { cat "$1.log" >&2; exit 1; }; tail -1 "$1.time"; }

for seed in $SEEDS; do
    for P in 1 2; do
        s=$(wall fit-np$P-seed$seed "${RUN[@]}" -np $P "$MIRI" fit protein10-masked.csv --model m-np$P-seed$seed.miri \
            --output fit-np$P-seed$seed.csv --seed $seed --threads 1)
        echo "fit -np $P seed $seed: $s s"
        grep -h "^round\|fitted" fit-np$P-seed$seed.log | sed 's/^/    /'
    done
done
for P in 1 2 1 2 4; do
    s=$(wall apply-np$P "${RUN[@]}" -np $P "$MIRI" apply m-np1-seed0.miri protein10-masked.csv --output apply-np$P.csv --threads 1)
    echo "apply -np $P: $s s"; sed 's/^/    /' apply-np$P.log
done
cmp apply-np1.csv apply-np2.csv && cmp apply-np1.csv apply-np4.csv && echo "apply -np 1, 2, 4: identical outputs"
s=$(wall fit-np4 "${RUN[@]}" -np 4 "$MIRI" fit protein10-masked.csv --model m-np4.miri --output fit-np4.csv --seed 0 --threads 1)
echo "fit -np 4 (2 cores, oversubscribed): $s s"; grep -h "fitted" fit-np4.log | sed 's/^/    /'
# Alternating pairs (P=2 then P=1, three times; seed 1): the ratio taken pair by pair is what
# survives a machine whose load drifts.
for i in 1 2 3; do
    for P in 2 1; do
        f=$(wall pair$i-fit-np$P "${RUN[@]}" -np $P "$MIRI" fit protein10-masked.csv --model pair-np$P.miri --seed 1 --threads 1 --quiet)
        a=$(wall pair$i-apply-np$P "${RUN[@]}" -np $P "$MIRI" apply m-np1-seed0.miri protein10-masked.csv --output pair-np$P.csv --threads 1 --quiet)
        eval "fit$P=$f apply$P=$a"
    done
    echo "pair $i: fit -np 2 $fit2 s, -np 1 $fit1 s (ratio $(awk "BEGIN { printf \"%.3f\", $fit2 / $fit1 }")); apply -np 2 $apply2 s, -np 1 $apply1 s (ratio $(awk "BEGIN { printf \"%.3f\", $apply2 / $apply1 }"))"
done
# Per round: training and ODE seconds of rank 0, summed over the rounds.
for f in fit-np*.log; do
    tr '\r' '\n' < "$f" | grep -a "^round" | sed 's/.*training \([0-9.]*\) s, ODE \([0-9.]*\) s/\1 \2/' \
        | awk -v f="${f%.log}" '{ t += $1; o += $2; n++ } END { printf "%s: training %.2f s (%.2f a round), ODE %.2f s (%.2f a round)\n", f, t, t / n, o, o / n }'
done
python3 ../../scripts/mpi-quality.py protein10.csv protein10-masked.csv fit-np*-seed*.csv fit-np4.csv apply-np1.csv
