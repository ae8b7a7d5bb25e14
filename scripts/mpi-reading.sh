#!/usr/bin/env bash
# The byte-range reading numbers of docs/scaling.md ("Reading a share of the file"): `miri fit`
# under mpirun -np 1 and 2 (one thread each) on protein repeated 10 times (457,300 rows x 9
# columns, MCAR 20%, seed 1): each rank's peak memory (/usr/bin/time around each rank), the
# reading and writing seconds of rank 0 (the fit's summary line), fit timed in alternating pairs
# (-np 2, -np 1, six times; the ratio pair by pair), and RMSE/MMD of -np 2's imputations for seeds 0-4.
# With OLD=path/to/an/older/MPI/miri, the same memory and timing runs of that binary too.
# About 27 minutes on 2 cores. Output: results/mpi-reading/ (logs) and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="${OLD:-}"
OUT="$PWD/results/mpi-reading"
source scripts/mpi-protein10.sh
echo "input: $(wc -c < protein10-masked.csv) bytes, $(($(wc -l < protein10-masked.csv) - 1)) rows"

# Peak memory of each rank: /usr/bin/time wraps every rank's process.
memory() {  # name binary P
    local name=$1 bin=$2 P=$3
    /usr/bin/time -f %e -o "$name.wall" "${RUN[@]}" -np "$P" /usr/bin/time -f "rank peak %M kB" -a -o "$name.rss" \
        "$bin" fit protein10-masked.csv --model "$name.miri" --output "$name.csv" --seed 1 --threads 1 2> "$name.log"
    echo "$name: $(cat "$name.wall") s; $(sort "$name.rss" | tr '\n' ' ')"
    grep -h "fitted" "$name.log" | sed 's/^/    /'
}
rm -f ./*.rss
memory new-np1 "$MIRI" 1
memory new-np2 "$MIRI" 2
if [ -n "$OLD" ]; then memory old-np2 "$OLD" 2; fi

# Alternating pairs, seed 1.
for i in 1 2 3 4 5 6; do
    for P in 2 1; do
        /usr/bin/time -f %e -o pair$i-np$P.wall "${RUN[@]}" -np $P "$MIRI" fit protein10-masked.csv --model pair.miri \
            --seed 1 --threads 1 2> pair$i-np$P.log
        eval "fit$P=$(cat pair$i-np$P.wall)"
    done
    echo "pair $i: fit -np 2 $fit2 s, -np 1 $fit1 s: ratio $(awk "BEGIN { printf \"%.3f\", $fit2 / $fit1 }"), speedup $(awk "BEGIN { printf \"%.2f\", $fit1 / $fit2 }")"
    grep -h "fitted" pair$i-np2.log | sed 's/^/    /'
done

# Quality of -np 2 (seeds 0-4) and -np 1 (seed 1, above).
for seed in 0 1 2 3 4; do
    "${RUN[@]}" -np 2 "$MIRI" fit protein10-masked.csv --model q$seed.miri --output q-np2-seed$seed.csv --seed $seed --threads 1 --quiet
done
python3 ../../scripts/mpi-quality.py protein10.csv protein10-masked.csv new-np1.csv q-np2-seed*.csv
