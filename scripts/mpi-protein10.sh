# Sourced by the MPI measurement scripts (mpi-scaling.sh, mpi-reading.sh), from the package
# folder, with OUT set to their results folder: builds the MPI `miri` (MIRI), sets RUN (mpirun
# on this machine) and makes, in OUT (the working folder after this), protein repeated 10 times
# (protein10.csv, 457,300 rows x 9 columns) and its 20% MCAR mask (protein10-masked.csv, seed 1).
swift build -c release --product miri --traits MPI --scratch-path .build-mpi >/dev/null
MIRI="$PWD/.build-mpi/release/miri"
DATA="${MIRI_DATASETS:-$PWD/../shared/datasets}"
mkdir -p "$OUT"
cd "$OUT"
RUN=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
if [ ! -f protein10-masked.csv ]; then
    { head -1 "$DATA/protein.csv"; for _ in 1 2 3 4 5 6 7 8 9 10; do tail -n +2 "$DATA/protein.csv"; done; } > protein10.csv
    "$MIRI" ampute protein10.csv --mechanism mcar --rate 0.2 --seed 1 --output protein10-masked.csv --quiet
fi
