#!/usr/bin/env bash
# The MPI build's checks (issue 16): builds `miri` with --traits MPI (Open MPI installed by
# setup.sh --mpi) beside the default build, and runs it under mpirun with 1, 2 and 4 processes
# on this machine (loopback; 4 oversubscribe 2 cores):
#   -np 1 writes byte for byte what the default build writes (fit, apply, impute);
#   apply under -np 2 and 4 writes byte for byte what one process writes;
#   fit and impute under -np 2 and 4 keep every observed cell, fill every missing one, keep the
#   rows in order, and the model applies with the default build's `miri apply`;
#   fit and impute read byte ranges: a sorted file, a table with text, a quoted cell and
#   standard output are checked as above;
#   a failure on one rank stops every rank with one message and the same status; too many
#   processes, and mpirun with the default build, are refused.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --mpi
swift build -c release --product miri
swift build -c release --product miri --traits MPI --scratch-path .build-mpi
PLAIN="$PWD/.build/release/miri"
MPI="$PWD/.build-mpi/release/miri"
RUN=(mpirun --allow-run-as-root --oversubscribe)
DATA="${MIRI_DATASETS:-$PWD/../shared/datasets}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# Every observed cell of $1 kept as written in $2, every missing one filled with a finite
# number, the same rows in the same order.
check_completion() {
    awk -F, 'NR == FNR { row[FNR] = $0; n = FNR; next }
             { if (FNR > n) { print "extra line " FNR; bad = 1; exit }
               split(row[FNR], a, ","); if (NF != length(a)) { print "line " FNR ": fields differ"; bad = 1; exit }
               for (j = 1; j <= NF; j++) {
                 if (a[j] != "" && a[j] != $j) { print "line " FNR ", column " j ": observed " a[j] " became " $j; bad = 1; exit }
                 if (a[j] == "" && ($j == "" || tolower($j) ~ /nan|inf/)) { print "line " FNR ", column " j ": not filled (" $j ")"; bad = 1; exit }
               } m = FNR }
             END { if (!bad && m != n) { print "lines: " m " of " n; bad = 1 } exit bad }' "$1" "$2"
}

"$PLAIN" ampute "$DATA/yacht.csv" --mechanism mcar --rate 0.2 --seed 1 --output small.csv --quiet
"$PLAIN" ampute "$DATA/protein.csv" --mechanism mcar --rate 0.2 --seed 1 --output protein.csv --quiet
FIT=(--threads 1 --quiet)

# -np 1 is the default build, byte for byte.
"$PLAIN" fit small.csv --model plain.miri --output plain-fit.csv "${FIT[@]}"
"${RUN[@]}" -np 1 "$MPI" fit small.csv --model one.miri --output one-fit.csv "${FIT[@]}"
cmp -s plain-fit.csv one-fit.csv && pass "fit -np 1 = default build" || fail "fit -np 1 differs from the default build"
"$PLAIN" impute small.csv --output plain-imputed.csv "${FIT[@]}"
"${RUN[@]}" -np 1 "$MPI" impute small.csv --output one-imputed.csv "${FIT[@]}"
cmp -s plain-imputed.csv one-imputed.csv && pass "impute -np 1 = default build" || fail "impute -np 1 differs"
"$PLAIN" fit protein.csv --model protein.miri --rounds 2 "${FIT[@]}"
"$PLAIN" apply protein.miri protein.csv --output plain-apply.csv --threads 1 --quiet
"${RUN[@]}" -np 1 "$MPI" apply protein.miri protein.csv --output one-apply.csv --threads 1 --quiet
cmp -s plain-apply.csv one-apply.csv && pass "apply -np 1 = default build" || fail "apply -np 1 differs"

for P in 2 4; do
    "${RUN[@]}" -np $P "$MPI" apply protein.miri protein.csv --output apply-$P.csv --threads 1 --quiet
    cmp -s plain-apply.csv apply-$P.csv && pass "apply -np $P = one process" || fail "apply -np $P differs from one process"
    "${RUN[@]}" -np $P "$MPI" apply protein.miri protein.csv --output avg-$P.csv --draws 2 --average --threads 1 --quiet
    [ $P = 2 ] && "$PLAIN" apply protein.miri protein.csv --output avg-1.csv --draws 2 --average --threads 1 --quiet
    cmp -s avg-1.csv avg-$P.csv && pass "apply --draws 2 --average -np $P = one process" || fail "apply --average -np $P differs"
    "${RUN[@]}" -np $P "$MPI" fit small.csv --model fit-$P.miri --output fit-$P.csv "${FIT[@]}"
    check_completion small.csv fit-$P.csv && pass "fit -np $P: observed kept, missing filled, rows in order" || fail "fit -np $P output"
    "$PLAIN" apply fit-$P.miri small.csv --output applied-$P.csv --threads 1 --quiet \
        && check_completion small.csv applied-$P.csv && pass "the -np $P model applies with the default build" || fail "-np $P model"
    "${RUN[@]}" -np $P "$MPI" impute small.csv --output impute-$P.csv "${FIT[@]}"
    check_completion small.csv impute-$P.csv && pass "impute -np $P" || fail "impute -np $P output"
    [ -z "$(ls -A . | grep '\.tmp$' || true)" ] || fail "part files left behind"
done

# Messages cut into pieces of 1,000 bytes (reduces: elements), of uneven counts over 3 ranks
# (their byte ranges hold different row counts): the same output as whole messages.
"${RUN[@]}" -np 3 "$MPI" fit protein.csv --model whole3.miri --output whole3.csv --rounds 1 "${FIT[@]}"
timeout 300 "${RUN[@]}" -x MIRI_MPI_PIECE=1000 -np 3 "$MPI" fit protein.csv --model pieces3.miri --output pieces3.csv --rounds 1 "${FIT[@]}"
cmp -s whole3.csv pieces3.csv && pass "fit -np 3 with messages in pieces = whole messages" || fail "fit -np 3 in pieces differs"

# Byte-range reading: a file sorted by a column (each rank's byte range holds one end of it),
# a table with a text column and one with a quoted cell (read whole by every rank), and
# standard output (parts joined from the working directory).
{ head -1 protein.csv; tail -n +2 protein.csv | sort -t, -k1,1g; } > sorted.csv
"${RUN[@]}" -np 2 "$MPI" fit sorted.csv --model sorted.miri --output sorted-fit.csv --rounds 2 "${FIT[@]}"
check_completion sorted.csv sorted-fit.csv && pass "fit -np 2 of a sorted file" || fail "fit -np 2 of a sorted file"
awk -F, -v OFS=, 'NR == 1 { print $0, "kind"; next } { print $0, (NR % 3 == 0 ? "" : (NR % 2 ? "odd" : "even")) }' small.csv > text.csv
"${RUN[@]}" -np 2 "$MPI" fit text.csv --model text.miri --output text-fit.csv "${FIT[@]}" 2> /dev/null
check_completion text.csv text-fit.csv && pass "fit -np 2 of a table with a text column" || fail "fit -np 2 of a text table"
awk -F, -v OFS=, 'NR == 5 { $2 = "\"" $2 "\"" } { print }' small.csv > quoted.csv
"${RUN[@]}" -np 2 "$MPI" impute quoted.csv --output quoted-imputed.csv "${FIT[@]}"
sed 's/"//g' quoted.csv > unquoted.csv
check_completion unquoted.csv <(sed 's/"//g' quoted-imputed.csv) && pass "impute -np 2 of a file with a quoted cell" || fail "impute -np 2 quoted"
"${RUN[@]}" -np 2 "$MPI" impute small.csv "${FIT[@]}" > impute-stdout.csv
cmp -s impute-2.csv impute-stdout.csv && pass "impute -np 2 to standard output = to a file" || fail "impute -np 2 to standard output differs"
[ -z "$(ls -A . | grep '\.tmp$' || true)" ] || fail "part files left behind"

# Failures: one message, one status, every rank stopped (no hang: `timeout`).
expect_failure() {  # status, what, command…
    local want=$1 what=$2; shift 2
    local status=0
    timeout 120 "$@" > /dev/null 2> err.txt || status=$?
    local lines; lines=$(grep -c '^miri: error:' err.txt || true)
    if [ "$status" = "$want" ] && [ "$lines" = 1 ]; then pass "$what (status $status, one message)"
    else fail "$what: status $status (want $want), $lines error line(s):"; cat err.txt >&2; fi
}
# An infinite value in the 2nd batch of 8,192 rows: only rank 1 of 2 imputes that batch.
awk -F, -v OFS=, 'NR == 9000 { $1 = "inf" } { print }' protein.csv > bad.csv
expect_failure 2 "a failing rank stops the apply" "${RUN[@]}" -np 2 "$MPI" apply protein.miri bad.csv --output bad-out.csv --quiet
[ ! -e bad-out.csv ] && [ -z "$(ls -A . | grep '\.tmp$' || true)" ] && pass "nothing written or left behind after a failed apply" \
    || fail "a failed apply wrote bad-out.csv or left its parts"
# A bad cell in the second half of the file: only rank 1 reads it; the message names its line.
awk -F, -v OFS=, 'NR == 40000 { $3 = "x" } { print }' protein.csv > badcell.csv
expect_failure 2 "a bad cell in rank 1's byte range stops the fit" "${RUN[@]}" -np 2 "$MPI" fit badcell.csv --model bad.miri --quiet
grep -q 'line 40000, column 3' err.txt && pass "the message names the file's line" || { fail "the message does not name line 40000:"; cat err.txt >&2; }
[ ! -e bad.miri ] || fail "a failed fit wrote its model"
# Checks of the whole table made on the ranks' blocks: one message, one status.
awk -F, -v OFS=, 'NR > 1 { $2 = "" } { print }' small.csv > nocolumn.csv
expect_failure 2 "a column observed in no rank's rows" "${RUN[@]}" -np 2 "$MPI" fit nocolumn.csv --model nc.miri --quiet
head -1 small.csv > header.csv
expect_failure 2 "a file with a header only" "${RUN[@]}" -np 2 "$MPI" impute header.csv --output h.csv --quiet
head -4 small.csv > tiny.csv
expect_failure 64 "more processes than rows" "${RUN[@]}" -np 4 "$MPI" fit tiny.csv --model tiny.miri --quiet
expect_failure 64 "mpirun with the default build" "${RUN[@]}" -np 2 "$PLAIN" fit small.csv --model x.miri --quiet
expect_failure 2 "a model of other columns" "${RUN[@]}" -np 2 "$MPI" apply protein.miri small.csv --output y.csv --quiet

if [ "$failures" -gt 0 ]; then echo "$failures MPI check(s) failed" >&2; exit 1; fi
echo "all MPI checks passed"
