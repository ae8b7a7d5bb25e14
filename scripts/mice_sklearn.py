#!/usr/bin/env python3
"""scikit-learn's IterativeImputer under the benchmark protocol, beside `miri-bench quality --methods mice`.

For every table of the shared datasets and every seed: standardize each column with the full-data
mean and population std (std 0 -> 1) in float32 as miri-bench does, blank entries with
BENCHMARK.md's SplitMix64 MCAR mask (u < rate, row-major), impute with
IterativeImputer(max_iter=10, random_state=0) -- BayesianRidge, ascending order, tol 1e-3 -- and
score RMSE over the missing entries, MMD (first 2000 rows, RBF with the median cross distance) and
W1 as BENCHMARK.md defines them, with the wall seconds of fit_transform alone.

    pip install scikit-learn
    python3 scripts/mice_sklearn.py --threads 2 --json sklearn.json
    python3 scripts/mice_sklearn.py --ours results/mice/results.json      # side-by-side Markdown
    python3 scripts/mice_sklearn.py --from sklearn.json --ours ours/*/results.json   # no rerun

With --ours, the results.json files of `miri-bench quality --methods mice` are read and one
Markdown row per table printed: our and scikit-learn's RMSE, MMD, W1 and seconds (mean +- std over
the seeds), and the largest per-seed relative RMSE difference. --from reads scikit-learn's results
from earlier --json files instead of running it (scripts/mice_compare.sh alternates the two per
table, so both see the same machine load). With --dump DIR, each case's masked table and
scikit-learn's imputation are written as CSV for entry-level comparison.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets"))
    p.add_argument("--datasets", help="comma-separated names (default: every CSV in --data)")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--rate", type=float, default=0.4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--json", help="write the per-case results here")
    p.add_argument("--ours", nargs="+", help="miri-bench quality results.json file(s) to print beside scikit-learn's")
    p.add_argument("--from", dest="saved", nargs="+", help="scikit-learn results (--json files) to use instead of running it")
    p.add_argument("--dump", help="folder for masked_<name>_<seed>.csv and sklearn_<name>_<seed>.csv")
    p.add_argument("--draws", type=int, default=0,
                   help="also score m chains of IterativeImputer(sample_posterior=True, random_state=seed+k) for k < m: "
                        "CRPS and 90%% coverage, as `miri-bench quality --methods mice --draws m`")
    return p.parse_args()


args = parse()
# BLAS threads are fixed before numpy loads.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.experimental import enable_iterative_imputer  # noqa: E402,F401
from sklearn.impute import IterativeImputer  # noqa: E402
import warnings  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

# Ten rounds without meeting tol is the usual outcome here; the warning says nothing per case.
warnings.filterwarnings("ignore", category=ConvergenceWarning)

MASK64 = (1 << 64) - 1


def mcar_observed(rows, cols, rate, seed):
    """BENCHMARK.md's mask: SplitMix64 (state = seed), one uniform per entry, row-major; missing when u < rate."""
    state = seed
    out = np.empty(rows * cols, dtype=bool)
    for k in range(rows * cols):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        out[k] = (z >> 11) * 2.0**-53 >= rate
    return out.reshape(rows, cols)


def standardized(raw):
    """miri-bench's scaling: Float values, mean and population std in float64, std 0 -> 1, result Float."""
    x = raw.astype(np.float32).astype(np.float64)
    mean = x.mean(axis=0)
    std = np.sqrt(((x - mean) ** 2).mean(axis=0))
    std[~(std > 0)] = 1
    return ((x - mean) / std).astype(np.float32)


def mmd(imputed, truth, max_rows=2000):
    m = min(len(imputed), max_rows)
    x, y = imputed[:m].astype(np.float64), truth[:m].astype(np.float64)

    def d2(a, b):
        return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T, 0)

    cross = d2(x, y)
    sigma = np.median(np.sqrt(cross))
    scale = 1 / (2 * sigma * sigma) if sigma > 0 else 0.5
    return np.exp(-scale * d2(x, x)).mean() + np.exp(-scale * d2(y, y)).mean() - 2 * np.exp(-scale * cross).mean()


def w1(imputed, truth):
    return float(np.mean([np.abs(np.sort(imputed[:, j]) - np.sort(truth[:, j])).mean() for j in range(truth.shape[1])]))


def draw_scores(masked, truth, observed, seed, m):
    """CRPS and the share of truths inside the draws' 5-95 % range (numpy's linear quantiles), BENCHMARK.md."""
    draws = np.stack([IterativeImputer(max_iter=10, sample_posterior=True, random_state=seed + k).fit_transform(masked)
                      for k in range(m)])[:, ~observed].astype(np.float32).astype(np.float64)
    x = truth.astype(np.float64)[~observed]
    crps = np.abs(draws - x).mean(0) - np.abs(draws[:, None, :] - draws[None, :, :]).mean((0, 1)) / 2
    lo, hi = np.quantile(draws, 0.05, axis=0), np.quantile(draws, 0.95, axis=0)
    return float(crps.mean()), float(((lo <= x) & (x <= hi)).mean())


def stat(values, digits):
    values = [v for v in values if v == v]
    if not values:
        return "–"
    mean = sum(values) / len(values)
    if len(values) == 1:
        return f"{mean:.{digits}f}"
    sd = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def run_sklearn():
    data = Path(args.data)
    names = args.datasets.split(",") if args.datasets else sorted(
        (p.stem for p in data.glob("*.csv")), key=lambda n: (data / f"{n}.csv").stat().st_size)
    seeds = [int(s) for s in args.seeds.split(",")]
    results = []
    for name in names:
        raw = np.loadtxt(data / f"{name}.csv", delimiter=",", skiprows=1, ndmin=2)
        truth = standardized(raw)
        for seed in seeds:
            observed = mcar_observed(*truth.shape, args.rate, seed)
            masked = np.where(observed, truth.astype(np.float64), np.nan)
            imputer = IterativeImputer(max_iter=10, random_state=0)
            start = time.perf_counter()
            imputed = imputer.fit_transform(masked)
            seconds = time.perf_counter() - start
            err = (imputed - truth.astype(np.float64))[~observed]
            row = {"dataset": name, "seed": seed, "rows": truth.shape[0], "cols": truth.shape[1],
                   "rmse": float(np.sqrt((err ** 2).mean())), "mae": float(np.abs(err).mean()),
                   "mmd": float(mmd(imputed.astype(np.float32), truth)), "w1": w1(imputed.astype(np.float32), truth),
                   "seconds": seconds, "rounds": int(imputer.n_iter_), "threads": args.threads,
                   "sklearn": sklearn.__version__, "numpy": np.__version__}
            if args.draws:
                row["crps"], row["coverage90"] = draw_scores(masked, truth, observed, seed, args.draws)
            results.append(row)
            print(f"{name} seed {seed}: RMSE {row['rmse']:.4f}  MMD {row['mmd']:.5f}  W1 {row['w1']:.4f}  "
                  f"rounds {row['rounds']}  ({seconds:.2f} s)"
                  + (f"  {args.draws} draws: CRPS {row['crps']:.4f}, 90% coverage {100 * row['coverage90']:.1f}%" if args.draws else ""),
                  file=sys.stderr)
            if args.dump:
                Path(args.dump).mkdir(parents=True, exist_ok=True)
                header = ",".join(f"x{j}" for j in range(truth.shape[1]))
                np.savetxt(Path(args.dump) / f"masked_{name}_{seed}.csv", masked, delimiter=",", header=header,
                           comments="", fmt="%.9g")
                np.savetxt(Path(args.dump) / f"sklearn_{name}_{seed}.csv", imputed, delimiter=",", header=header,
                           comments="", fmt="%.17g")
    return results


def side_by_side(ours_paths, theirs):
    ours = [r for path in ours_paths for r in json.loads(Path(path).read_text()) if r["method"] == "mice" and r["status"] == "ok"]
    print("| dataset | RMSE ours | RMSE scikit-learn | RMSE diff (worst seed) | MMD ours | MMD scikit-learn | W1 ours | W1 scikit-learn "
          "| seconds ours | seconds scikit-learn |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    sizes = {r["dataset"]: r["rows"] * r["cols"] for r in theirs}
    for name in sorted(sizes, key=lambda n: (sizes[n], n)):
        o = sorted((r for r in ours if r["dataset"] == name), key=lambda r: r["seed"])
        t = sorted((r for r in theirs if r["dataset"] == name), key=lambda r: r["seed"])
        diffs = [100 * (a["rmse"] / b["rmse"] - 1) for a, b in zip(o, t) if a["seed"] == b["seed"]]
        worst = max(diffs, key=abs) if diffs else float("nan")
        print(f"| {name} | {stat([r['rmse'] for r in o], 4)} | {stat([r['rmse'] for r in t], 4)} | "
              f"{worst:+.1e} % | {stat([r['mmd'] for r in o], 5)} | {stat([r['mmd'] for r in t], 5)} | "
              f"{stat([r['w1'] for r in o], 4)} | {stat([r['w1'] for r in t], 4)} | "
              f"{stat([r['seconds'] for r in o], 3)} | {stat([r['seconds'] for r in t], 3)} |")


if __name__ == "__main__":
    theirs = [r for path in args.saved for r in json.loads(Path(path).read_text())] if args.saved else run_sklearn()
    if args.json:
        Path(args.json).write_text(json.dumps(theirs, indent=1) + "\n")
    if args.ours:
        side_by_side(args.ours, theirs)
