#!/usr/bin/env bash
# Checks that the behaviour corpus does not depend on which machine runs it: the commands whose
# outputs describe the machine (`miri --version` and `info`, the demo, every miri-bench report)
# run again as if on another one — another CPU name in /proc/cpuinfo (a private mount namespace
# binds a made-up file over it) and one core instead of all (taskset) — and their digests must
# still match the recorded ones. The numbers themselves depend only on the kernel configuration,
# which this leaves as it is, so a difference here is a machine description the corpus fails to
# mask (scripts/corpus_normalize.py).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES="version info help-info demo impute-stdin bench-quality bench-quality-mar bench-draws-miri bench-draws-mice bench-mixed bench-summary bench-sweep"
FAKE="$(mktemp)"
trap 'rm -f "$FAKE"' EXIT
printf 'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor (corpus check)\n\n' > "$FAKE"
export CORPUS_ONLY="$CASES"
if unshare --mount true 2>/dev/null; then
    echo "corpus machine check: CPU named 'AMD EPYC 7B13 64-Core Processor (corpus check)', one core"
    unshare --mount bash -c 'mount --bind "$1" /proc/cpuinfo && grep -q "corpus check" /proc/cpuinfo && exec taskset -c 0 bash scripts/behaviour-corpus.sh' _ "$FAKE"
else
    echo "corpus machine check: no private mount namespace here (unshare refused); checking one core only"
    taskset -c 0 bash scripts/behaviour-corpus.sh
fi
