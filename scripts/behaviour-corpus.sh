#!/usr/bin/env bash
# The behaviour corpus: a fixed set of `miri` and `miri-bench` commands (every subcommand, every
# method, mixed tables, draws, checkpoints, errors, MPI at -np 1 and 2) whose outputs are reduced
# to one SHA-256 each and compared with scripts/behaviour-corpus.sha256. A refactoring that
# changes no behaviour leaves every digest as it was; a change that means to alter an output
# re-records them (`--record`) in the same commit, which makes the change visible in review.
#
#   bash scripts/behaviour-corpus.sh            # compare (exit 1 on any difference)
#   bash scripts/behaviour-corpus.sh --record   # write scripts/behaviour-corpus.sha256 anew
#
# What a digest covers: the exit status, standard output, standard error, and every file the
# command wrote, in name order. Wall-clock figures are the only thing masked (seconds, rows/s,
# timing columns, each network's seconds in a model file): they differ from run to run.
#
# Floating-point results depend on the elementwise kernels (baseline, AVX2, AVX-512) and on
# OpenBLAS's core, so the corpus pins both when the environment leaves them open: MIRI_SIMD=avx2
# and OPENBLAS_CORETYPE=Haswell, which any x86-64 machine with AVX2 runs. A value already set is
# never overridden. The recorded file's first line names the configuration it was recorded
# under; on a machine whose configuration differs (a user-set core, no AVX2), the digests cannot
# be compared, so the corpus runs twice and checks the two runs agree (same seed, same output).
# The MPI commands run when the MPI build (`.build-mpi`, made by scripts/test-mpi.sh) and
# mpirun are present; the digests of -np 1 and -np 2 are recorded under their own names.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
RECORD=0; [ "${1:-}" = "--record" ] && RECORD=1
EXPECTED="$ROOT/scripts/behaviour-corpus.sha256"
swift build -c release --product miri >/dev/null
swift build -c release --product miri-bench >/dev/null
MIRI="$ROOT/.build/release/miri"
BENCH="$ROOT/.build/release/miri-bench"
MPI="$ROOT/.build-mpi/release/miri"
DATA="${MIRI_DATASETS:-$ROOT/../shared/datasets}"
export CORPUS_DATA="$DATA" CORPUS_ROOT="$ROOT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
ACTUAL="$WORK/actual.sha256"
: > "$ACTUAL"

export MIRI_SIMD="${MIRI_SIMD:-avx2}"
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
# The configuration the digests hold for: the kernel path and OpenBLAS core `miri info` reports.
CONFIG="$("$MIRI" info --threads 1 | python3 "$ROOT/scripts/corpus_normalize.py" --config)"
RECORDED_CONFIG="$(head -n 1 "$EXPECTED" 2>/dev/null || true)"

# Wall-clock figures out, everything else kept (scripts/corpus_normalize.py).
normalize() { python3 "$ROOT/scripts/corpus_normalize.py" "$1" "$WORK"; }

# run NAME COMMAND…: runs the command in a folder of its own and records the digest.
# CORPUS_ONLY="name1 name2 …" runs only those cases (scripts/check-corpus-machine.sh uses it).
run() {
    local name="$1"; shift
    if [ -n "${CORPUS_ONLY:-}" ] && [[ " $CORPUS_ONLY " != *" $name "* ]]; then return 0; fi
    local dir="$WORK/cases/$name"
    mkdir -p "$dir"
    local status=0
    (cd "$dir" && "$@" > "$WORK/stdout" 2> "$WORK/stderr" < /dev/null) || status=$?
    {
        echo "status $status"
        normalize "$WORK/stdout"
        echo "--- stderr"
        normalize "$WORK/stderr"
        (cd "$dir" && find . -type f | LC_ALL=C sort | while read -r f; do
            echo "--- file $f"
            normalize "$f"
        done)
    } > "$WORK/digested"
    [ -n "${CORPUS_KEEP:-}" ] && mkdir -p "$CORPUS_KEEP" && cp "$WORK/digested" "$CORPUS_KEEP/$name"
    echo "$name $(sha256sum < "$WORK/digested" | cut -d' ' -f1)" >> "$ACTUAL"
}

corpus() {
# The inputs: the shared tables, blanked by `miri ampute` (itself checked by the corpus), and a
# small mixed table written here.
"$MIRI" ampute "$DATA/yacht.csv" --mechanism mcar --rate 0.2 --seed 1 --output "$WORK/small.csv" --quiet
"$MIRI" ampute "$DATA/wine.csv" --mechanism mar --rate 0.3 --seed 2 --output "$WORK/wine-mar.csv" --quiet
S="$WORK/small.csv"
python3 - "$WORK/mixed.csv" <<'EOF'
import random, sys
random.seed(7)
colours = ["red", "green", "blue", "violet"]
with open(sys.argv[1], "w") as f:
    f.write("id,colour,count,size,note\n")
    for i in range(160):
        c = random.choice(colours)
        k = random.randint(0, 9) + (3 if c == "red" else 0)
        x = random.gauss(2.0 * k, 1.0)
        row = [f"r{i}", c, str(k), f"{x:.3f}", random.choice(["a b", "c", "d-e"])]
        for j in (1, 2, 3):
            if random.random() < 0.2: row[j] = ""
        f.write(",".join(row) + "\n")
EOF
X="$WORK/mixed.csv"
printf 'a,b\n1,2\n3\n' > "$WORK/ragged.csv"
printf 'p,q,r\n1,,3\n' > "$WORK/other-columns.csv"
SMALL=(--threads 1 --quiet)
QUICK=(--rounds 2 --epochs 3 --threads 1 --quiet)

# Help, version, info.
run version "$MIRI" --version
run info "$MIRI" info --threads 1
run help "$MIRI" --help
for c in impute fit apply ampute demo info; do run "help-$c" "$MIRI" help "$c"; done
for c in quality draws sweep summary mixed throughput; do run "bench-help-$c" "$BENCH" help "$c"; done

# impute: every method, standard input and output, presets and flags.
for m in mean knn mice; do run "impute-$m" "$MIRI" impute "$S" --method "$m" -o out.csv "${SMALL[@]}"; done
run impute-miri "$MIRI" impute "$S" -o out.csv "${QUICK[@]}"
run impute-miri-seed "$MIRI" impute "$S" -o out.csv --seed 5 "${QUICK[@]}"
run impute-miri-paper "$MIRI" impute "$S" -o out.csv --preset paper --rounds 1 --epochs 1 --hidden 32,32 --steps 5 --threads 1 --quiet
run impute-miri-flags "$MIRI" impute "$S" -o out.csv --rounds 2 --epochs 2 --batch-size 64 --steps 7 --hidden 48 --lr 0.001 --threads 1 --quiet
run impute-stdout "$MIRI" impute "$S" --method knn --neighbors 3 --threads 1 --quiet
run impute-stdin sh -c "\"$MIRI\" impute - --method mean --quiet < \"$S\""
run impute-wine-mice "$MIRI" impute "$WORK/wine-mar.csv" --method mice -o out.csv "${SMALL[@]}"
run impute-notes "$MIRI" impute "$S" --method mean --neighbors 4 -o out.csv --threads 1

# fit and apply: MIRI and MICE models, draws, averages.
run fit-miri "$MIRI" fit "$S" --model m.miri --output fitted.csv "${QUICK[@]}"
"$MIRI" fit "$S" --model "$WORK/m.miri" "${QUICK[@]}"
"$MIRI" fit "$S" --method mice --model "$WORK/m.mice" "${SMALL[@]}"
run fit-mice "$MIRI" fit "$S" --method mice --model m.mice --output fitted.csv "${SMALL[@]}"
run apply-miri "$MIRI" apply "$WORK/m.miri" "$S" -o out.csv "${SMALL[@]}"
run apply-miri-draws "$MIRI" apply "$WORK/m.miri" "$S" -o out.csv --draws 3 --seed 4 "${SMALL[@]}"
run apply-miri-average "$MIRI" apply "$WORK/m.miri" "$S" -o out.csv --draws 4 --average "${SMALL[@]}"
run apply-mice "$MIRI" apply "$WORK/m.mice" "$S" -o out.csv "${SMALL[@]}"
run apply-mice-draws "$MIRI" apply "$WORK/m.mice" "$S" -o out.csv --draws 3 "${SMALL[@]}"
run apply-mice-average "$MIRI" apply "$WORK/m.mice" "$S" -o out.csv --draws 3 --average "${SMALL[@]}"
run apply-stdout "$MIRI" apply "$WORK/m.miri" "$S" --threads 1 --quiet

# Checkpoints: a run saved round by round, then resumed for more rounds.
run checkpoint sh -c "\"$MIRI\" fit \"$S\" --model a.miri --checkpoint ck --rounds 2 --epochs 2 --threads 1 --quiet && \"$MIRI\" fit \"$S\" --model b.miri --checkpoint ck --resume --rounds 3 --epochs 2 --threads 1 --quiet"

# ampute: the four mechanisms.
for mech in mcar mar mnar mnar-self; do
    run "ampute-$mech" "$MIRI" ampute "$DATA/housing.csv" --mechanism "$mech" --rate 0.3 --seed 3 --output out.csv --quiet
done

# Mixed tables: kinds detected and overridden, every method, a MIRI and a MICE model.
for m in mean knn mice; do run "mixed-$m" "$MIRI" impute "$X" --method "$m" -o out.csv --threads 1; done
run mixed-miri "$MIRI" impute "$X" -o out.csv --rounds 2 --epochs 2 --threads 1
run mixed-kinds "$MIRI" impute "$X" --method mean --categorical count --pass-through id,note -o out.csv --threads 1
run mixed-no-round "$MIRI" impute "$X" --method mice --no-round-integers --pass-through id,note -o out.csv --threads 1
run mixed-fit-apply sh -c "\"$MIRI\" fit \"$X\" --model k.miri --rounds 2 --epochs 2 --threads 1 --quiet && \"$MIRI\" apply k.miri \"$X\" -o out.csv --draws 2 --threads 1 --quiet"
run mixed-fit-apply-mice sh -c "\"$MIRI\" fit \"$X\" --method mice --model k.mice --threads 1 --quiet && \"$MIRI\" apply k.mice \"$X\" -o out.csv --threads 1 --quiet"

# Errors: bad input (2), bad usage (64), a model that does not fit the table.
run error-ragged "$MIRI" impute "$WORK/ragged.csv" -o out.csv --method mean
run error-missing-file "$MIRI" impute "$WORK/absent.csv" -o out.csv
run error-usage "$MIRI" impute "$S" --method forest
run error-columns "$MIRI" apply "$WORK/m.miri" "$WORK/other-columns.csv" -o out.csv --quiet
run error-bad-model "$MIRI" apply "$S" "$S" -o out.csv --quiet

# The demo (its pictures are part of the output).
run demo "$MIRI" demo --quick --output-dir pictures --threads 1

# miri-bench: quality (every method, a mechanism), draws, mixed, summary and sweep of a run.
run bench-quality "$BENCH" quality --data synthetic --datasets two-moons,synthetic-gaussian --methods mean,knn,mice,miri --seeds 1 --rounds 2 --epochs 2 --threads 1 --out q --quiet
run bench-quality-mar "$BENCH" quality --data "$DATA" --datasets yacht --methods mean,mice,miri --mechanism mar --seeds 2 --rounds 1 --epochs 2 --draws 3 --threads 1 --out q --quiet
run bench-draws-miri "$BENCH" draws --data synthetic --datasets two-moons --seeds 1 --draws 10 --averages 1,5 --threads 1 --json d.jsonl
run bench-draws-mice "$BENCH" draws --method mice --data synthetic --datasets synthetic-gaussian --seeds 1 --draws 10 --averages 1,5 --threads 1 --json d.jsonl
run bench-mixed "$BENCH" mixed --data "$DATA/bike.csv" --rows 400 --seeds 1 --threads 1 --output mixed.json
"$BENCH" quality --data synthetic --datasets two-moons --methods mean,miri --seeds 1,2 --rounds 1 --epochs 2 --threads 1 --out "$WORK/runs/fast" --quiet > /dev/null
"$BENCH" quality --data synthetic --datasets two-moons --methods miri --seeds 1,2 --rounds 2 --epochs 2 --threads 1 --out "$WORK/runs/longer" --quiet > /dev/null
run bench-summary "$BENCH" summary "$WORK/runs/fast" --out summary.md
run bench-sweep "$BENCH" sweep "$WORK/runs" --out sweep

# MPI: -np 1 and 2 (fit, impute, apply), when the MPI build is there.
if [ -x "$MPI" ] && command -v mpirun >/dev/null; then
    R=(mpirun --allow-run-as-root --oversubscribe)
    for np in 1 2; do
        run "mpi-$np-fit" "${R[@]}" -np "$np" "$MPI" fit "$S" --model m.miri --output out.csv "${QUICK[@]}"
        run "mpi-$np-impute" "${R[@]}" -np "$np" "$MPI" impute "$S" --output out.csv "${QUICK[@]}"
        run "mpi-$np-apply" "${R[@]}" -np "$np" "$MPI" apply "$WORK/m.miri" "$S" --output out.csv --draws 2 "${SMALL[@]}"
    done
else
    echo "behaviour corpus: no MPI build (.build-mpi) or no mpirun: the MPI cases are left out" >&2
fi

}

corpus
if [ "$RECORD" = 0 ] && [ "$RECORDED_CONFIG" != "$CONFIG" ]; then
    echo "behaviour corpus: recorded under '${RECORDED_CONFIG#\# }', this machine runs '${CONFIG#\# }':"
    echo "  the digests cannot be compared here; checking instead that a second run gives the same outputs"
    cp "$ACTUAL" "$WORK/first.sha256"; : > "$ACTUAL"
    find "$WORK" -mindepth 1 -maxdepth 1 ! -name first.sha256 ! -name actual.sha256 -exec rm -rf {} +
    corpus
    if cmp -s "$ACTUAL" "$WORK/first.sha256"; then
        echo "behaviour corpus: $(wc -l < "$ACTUAL") commands gave the same outputs twice"; exit 0
    fi
    diff "$WORK/first.sha256" "$ACTUAL" | sed -n 's/^> \([^ ]*\) .*/DIFFERS BETWEEN RUNS: \1/p'
    exit 1
fi
count=$(wc -l < "$ACTUAL")
if [ "$RECORD" = 1 ]; then
    # Cases that did not run here (the MPI ones without an MPI build, those outside CORPUS_ONLY)
    # keep their recorded digests, in their recorded place.
    kept=0; : > "$WORK/kept.sha256"
    if [ "$RECORDED_CONFIG" = "$CONFIG" ]; then
        while read -r name digest; do
            if ! grep -q "^$name " "$ACTUAL"; then echo "$name $digest" >> "$WORK/kept.sha256"; kept=$((kept + 1)); fi
        done < <(tail -n +2 "$EXPECTED")
    fi
    { echo "$CONFIG"; tail -n +2 "$EXPECTED" 2>/dev/null | while read -r name digest; do
          grep -sh "^$name " "$ACTUAL" "$WORK/kept.sha256" | head -n 1 || true
      done
      while read -r name digest; do grep -q "^$name " "$EXPECTED" 2>/dev/null || echo "$name $digest"; done < "$ACTUAL"
    } > "$WORK/recorded.sha256"
    [ "$RECORDED_CONFIG" = "$CONFIG" ] || { echo "$CONFIG"; cat "$ACTUAL"; } > "$WORK/recorded.sha256"
    mv "$WORK/recorded.sha256" "$EXPECTED"
    echo "behaviour corpus: recorded $count digests in scripts/behaviour-corpus.sha256 ($kept kept from the last recording: not run here)"
    exit 0
fi
failures=0
while read -r name digest; do
    want=$(awk -v n="$name" 'NR > 1 && $1 == n { print $2 }' "$EXPECTED")
    if [ -z "$want" ]; then echo "NEW: $name (not in the recorded corpus)"; failures=$((failures + 1))
    elif [ "$want" != "$digest" ]; then echo "DIFFERS: $name"; failures=$((failures + 1)); fi
done < "$ACTUAL"
echo "behaviour corpus: $((count - failures)) passed, $failures failed"
[ "$failures" = 0 ]
