#!/usr/bin/env bash
# Regenerates the tables of docs/benchmarks.md: runs miri-bench for each part asked for, then
# writes OUT/tables.md with the tables in the layout docs/benchmarks.md uses, to paste over them.
#
#   scripts/benchmarks-doc.sh OUT [PART ...]
#
# PARTS (default: all, in this order; each is resumable: a finished run's files are kept):
#   mechanisms  quality of mean, kNN, MICE and MIRI (one draw) under mcar, mar, mnar and mnar-self,
#               rate 0.4, every table and seed (scripts/mechanisms.sh into OUT/mechanisms)
#   synthetic   the demo's two tables (two moons, copula), mean, kNN and MIRI, 20 draws
#   draws       MIRI's multiple imputation: one draw against the mean of 5 and 20, CRPS, coverage (seed 1)
#   inductive   MIRI fitted on the first 60 % of the rows, scored on the rest (the nine small tables)
#   mixed       the mixed table made from bike (categories, integers, numbers), seed 1
#
# Settings, from the environment (defaults in brackets):
#   MIRI_BENCH [.build/release/miri-bench]   DATASETS [the twelve shared tables, smallest first]
#   SEEDS [1,2,3]   THREADS [1]   BENCHMARK [../shared/BENCHMARK.md, for the peers' figures]
#
# Build first: swift build -c release --product miri-bench. The whole run takes many hours on two
# cores (MIRI on bike and protein, MICE and kNN on the large tables); a part alone, e.g.
# `scripts/benchmarks-doc.sh /tmp/bd synthetic`, takes minutes. Quality figures are the same for the
# same seed, thread count and kernel path (`miri info`); seconds depend on the machine and its load.
# Not run in CI.
set -euo pipefail
out=${1:?usage: scripts/benchmarks-doc.sh OUT [mechanisms|synthetic|draws|inductive|mixed ...]}
shift
parts=${*:-mechanisms synthetic draws inductive mixed}
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${MIRI_BENCH:-$root/.build/release/miri-bench}
datasets=${DATASETS:-yacht,housing,forest,stock,energy,concrete,solar,airfoil,wine,pumadyn32nm,bike,protein}
small=yacht,housing,forest,stock,energy,concrete,solar,airfoil,wine
seeds=${SEEDS:-1,2,3}
threads=${THREADS:-1}
benchmark=${BENCHMARK:-$root/../shared/BENCHMARK.md}
[ -x "$bench" ] || { echo "benchmarks-doc: no $bench (swift build -c release --product miri-bench)" >&2; exit 1; }
mkdir -p "$out"
cd "$root"      # quality and draws find ../shared/datasets from the package root

# Runs "$@" into $target unless $target already exists; the output goes to $target.part first.
once() {
    local target=$1; shift
    if [ -s "$target" ]; then echo "benchmarks-doc: kept $target" >&2; return; fi
    echo "benchmarks-doc: $*" >&2
    "$@"
}

for part in $parts; do
    case $part in
    mechanisms)
        MIRI_BENCH=$bench METHODS="mean knn mice miri" MECHANISMS="mcar mar mnar mnar-self" DATASETS=$datasets \
            SEEDS=$seeds THREADS=$threads RATE=0.4 "$root/scripts/mechanisms.sh" "$out/mechanisms" > /dev/null ;;
    synthetic)
        if [ ! -s "$out/synthetic/results.json" ]; then
            rm -rf "$out/synthetic.part"
            "$bench" quality --data synthetic --datasets two-moons,copula --methods mean,knn,miri --seeds "$seeds" \
                --draws 20 --threads "$threads" --quiet --out "$out/synthetic.part" > /dev/null
            rm -rf "$out/synthetic"; mv "$out/synthetic.part" "$out/synthetic"
        fi ;;
    draws)
        once "$out/draws.jsonl" "$bench" draws --datasets "$datasets" --seeds 1 --draws 20 --averages 1,5,20 \
            --threads "$threads" --json "$out/draws.jsonl" > "$out/draws.md" ;;
    inductive)
        once "$out/inductive.jsonl" "$bench" draws --datasets "$small" --seeds "$seeds" --draws 5 --averages 1,5 \
            --holdout 0.4 --threads "$threads" --json "$out/inductive.jsonl" > "$out/inductive.md" ;;
    mixed)
        once "$out/mixed.json" "$bench" mixed --seeds 1 --threads 2 --output "$out/mixed.json" > /dev/null ;;
    *) echo "benchmarks-doc: unknown part '$part'" >&2; exit 64 ;;
    esac
done

python3 - "$out" "$benchmark" > "$out/tables.md" <<'PY'
import json, math, os, sys
from collections import defaultdict
out, benchmark = sys.argv[1], sys.argv[2]

def mean(xs): return sum(xs) / len(xs)
def sd(xs):
    if len(xs) < 2: return 0.0
    m = mean(xs); return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
def pm(xs, digits):
    return f"{mean(xs):.{digits}f}" + (f" ± {sd(xs):.{digits}f}" if len(xs) > 1 else "")
def yes(b): return "yes" if b else "no"

# BENCHMARK.md's peer table: dataset -> method -> (RMSE, MMD).
peers = defaultdict(dict)
if os.path.exists(benchmark):
    header = None
    for line in open(benchmark, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[:2] == ["dataset", "mean"] and "missforest" in cells: header = cells; continue
        if header and line.startswith("|") and not line.startswith("|---") and len(cells) == len(header):
            for name, cell in zip(header[1:], cells[1:]):
                parts = cell.split(" / ")
                if len(parts) >= 2: peers[cells[0]][name] = (float(parts[0]), float(parts[1]))
        elif header and not line.startswith("|"): header = None
# MissForest's MAE, quoted in BENCHMARK.md's prose under the peer table.
missforest_mae = {"forest": 0.508, "stock": 0.592, "solar": 0.505, "pumadyn32nm": 0.881, "bike": 0.411,
                  "digits": 0.284, "breastcancer": 0.292}

def quality_rows(folder):
    rows = []
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.endswith(".part"))
        if "results.json" in files:
            rows += [r for r in json.load(open(os.path.join(base, "results.json"))) if r.get("status") == "ok"]
    return rows

def first_seen(xs):
    seen = []
    for x in xs:
        if x not in seen: seen.append(x)
    return seen

mech = os.path.join(out, "mechanisms")
if os.path.isdir(mech):
    rows = quality_rows(mech)
    names = {"mean": "mean", "knn": "kNN", "mice": "MICE", "miri": "MIRI"}
    for mechanism in ["mcar", "mar", "mnar", "mnar-self"]:
        mine = [r for r in rows if r["mechanism"] == mechanism]
        if not mine: continue
        seeds = sorted({r["seed"] for r in mine})
        print(f"### {mechanism}, rate 0.4 (seeds {seeds[0]}–{seeds[-1]}; MMD · W1 · RMSE · bias, mean over seeds; one draw for MIRI)\n")
        print("| dataset | " + " | ".join(names.values()) + " | MIRI MMD lowest? | MIRI W1 lowest? | MIRI abs(bias) ≤ MICE? |")
        print("|---|---|---|---|---|---|---|---|")
        counts = [0, 0, 0]; tables = 0
        for dataset in first_seen(r["dataset"] for r in mine):
            stats = {}
            for method in names:
                rs = [r for r in mine if r["dataset"] == dataset and r["method"] == method]
                if rs: stats[method] = {k: mean([r[k] for r in rs]) for k in ("mmd", "w1", "rmse", "bias")}
            cells = [f"{s['mmd']:.4f} · {s['w1']:.3f} · {s['rmse']:.3f} · {s['bias']:+.3f}" if (s := stats.get(m)) else "–"
                     for m in names]
            flags = ["–"] * 3
            if "miri" in stats:
                others = [stats[m] for m in stats if m != "miri"]
                tests = [all(stats["miri"]["mmd"] <= o["mmd"] for o in others),
                         all(stats["miri"]["w1"] <= o["w1"] for o in others),
                         "mice" in stats and abs(stats["miri"]["bias"]) <= abs(stats["mice"]["bias"])]
                flags = [yes(t) for t in tests]; tables += 1
                counts = [c + int(t) for c, t in zip(counts, tests)]
            print(f"| {dataset} | " + " | ".join(cells) + " | " + " | ".join(flags) + " |")
        if tables:
            print(f"\nMIRI's MMD lowest: {counts[0]} of {tables} tables; W1 lowest: {counts[1]} of {tables}; "
                  f"|bias| at most MICE's: {counts[2]} of {tables}.\n")

syn = os.path.join(out, "synthetic")
if os.path.isdir(syn):
    rows = quality_rows(syn)
    print("### The demo's tables (two moons, copula; 20 draws)\n")
    print("| table | method | RMSE | MMD | W1 | NN ratio | CRPS (20) | coverage | bias |")
    print("|---|---|---|---|---|---|---|---|---|")
    for dataset in first_seen(r["dataset"] for r in rows):
        for method in first_seen(r["method"] for r in rows if r["dataset"] == dataset):
            rs = [r for r in rows if r["dataset"] == dataset and r["method"] == method]
            def m(k): return mean([r[k] for r in rs if r.get(k) is not None]) if any(r.get(k) is not None for r in rs) else None
            cov = f"{100 * m('coverage90'):.1f}%" if method == "miri" and m("coverage90") is not None else "–"
            nn = f"{m('nn_ratio'):.3f}" if m("nn_ratio") is not None else "–"
            crps = f"{m('crps'):.3f}" if m("crps") is not None else "–"
            print(f"| {dataset} | {method} | {m('rmse'):.3f} | {m('mmd'):.5f} | {m('w1'):.4f} | {nn} | {crps} | {cov} | {m('bias'):+.3f} |")
    for dataset in first_seen(r["dataset"] for r in rows):
        nns = [r["nn_ratio"] for r in rows if r["dataset"] == dataset and r["method"] == "miri" and r.get("nn_ratio") is not None]
        if nns: print(f"\n{dataset}: MIRI's NN ratio {pm(nns, 3)} (per seed {', '.join(f'{x:.3f}' for x in nns)}).")
    print()

def jsonl(name):
    path = os.path.join(out, name)
    return [json.loads(l) for l in open(path) if l.strip()] if os.path.exists(path) else []

def point(case, k):
    return next(p for p in case["averages"] if p["draws"] == k)

draws = jsonl("draws.jsonl")
if draws:
    m = draws[0]["draws"]
    print(f"### Multiple imputation: one draw, the mean of 5 and {m} draws, CRPS and coverage\n")
    print(f"| dataset | one draw RMSE | mean of 5 | mean of {m} | MICE RMSE | ≤ MICE? | CRPS ({m}) | MissForest MAE | CRPS ≤ it? | coverage (exact sampler: 81.7%) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    beat_mice = beat_mf = n_mice = n_mf = 0
    for dataset in first_seen(c["dataset"] for c in draws):
        cs = [c for c in draws if c["dataset"] == dataset]
        one, five, all_ = ([point(c, k)["rmse"] for c in cs] for k in (1, 5, m))
        crps = [c["crps"] for c in cs]
        mice = peers.get(dataset, {}).get("mice", (None,))[0]
        mf = missforest_mae.get(dataset)
        le_mice = "–" if mice is None else yes(mean(all_) <= mice)
        le_mf = "–" if mf is None else yes(mean(crps) <= mf)
        if mice is not None: n_mice += 1; beat_mice += mean(all_) <= mice
        if mf is not None: n_mf += 1; beat_mf += mean(crps) <= mf
        cov = pm([100 * c["coverage90"] for c in cs], 1) + "%"
        print(f"| {dataset} | {pm(one, 3)} | {pm(five, 3)} | {pm(all_, 3)} | {mice if mice is not None else '–'} | {le_mice} | "
              f"{pm(crps, 3)} | {mf if mf is not None else '–'} | {le_mf} | {cov} |")
    print(f"\nMean of {m} draws at most MICE's RMSE: {beat_mice} of {n_mice} tables; CRPS at most MissForest's MAE: {beat_mf} of {n_mf}.\n")

inductive = jsonl("inductive.jsonl")
if inductive:
    print("### Inductive use: fitted on the first 60 % of the rows, applied to the rest\n")
    print("| dataset | one draw RMSE | √2 × mean imputation | mean of 5 | mean imputation RMSE | both hold? |")
    print("|---|---|---|---|---|---|")
    a = b = n = 0
    for dataset in first_seen(c["dataset"] for c in inductive):
        cs = [c for c in inductive if c["dataset"] == dataset]
        one = mean([point(c, 1)["rmse"] for c in cs]); five = mean([point(c, 5)["rmse"] for c in cs])
        base = mean([c["mean_imputer_rmse"] for c in cs])
        n += 1; a += one < math.sqrt(2) * base; b += five < base
        print(f"| {dataset} | {one:.3f} | {math.sqrt(2) * base:.3f} | {five:.3f} | {base:.3f} | {yes(one < math.sqrt(2) * base and five < base)} |")
    print(f"\nOne draw below √2 × mean imputation: {a} of {n}; mean of 5 below mean imputation: {b} of {n}.\n")

mixed = os.path.join(out, "mixed.json")
if os.path.exists(mixed):
    report = json.load(open(mixed))
    methods = report["methods"]
    print(f"### Mixed table: {report['table']}, {report['mask']}\n")
    print("| method | accuracy x3 | accuracy x10 | share gap x3 / x10 (pp) | RMSE numeric | RMSE all-numeric table |")
    print("| --- | --- | --- | --- | --- | --- |")
    any_method = next(iter(methods.values()))
    base = any_method["most_frequent_accuracy"]
    print(f"| most frequent (baseline) | {base['x3']['mean']:.3f} | {base['x10']['mean']:.3f} | – | – | – |")
    labels = {"mean": "mean", "knn": "kNN (k = 5)", "mice": "MICE (one-hot + arg-max)", "miri": "MIRI (fast, one draw)"}
    for key in [k for k in labels if k in methods]:
        r = methods[key]
        print(f"| {labels[key]} | {r['accuracy']['x3']['mean']:.3f} | {r['accuracy']['x10']['mean']:.3f} | "
              f"{100 * r['share_gap']['x3']['mean']:.1f} / {100 * r['share_gap']['x10']['mean']:.1f} | "
              f"{r['rmse']['mean']:.3f} | {r['rmse_all_numeric']['mean']:.3f} |")
    print()
PY
echo "benchmarks-doc: wrote $out/tables.md" >&2
