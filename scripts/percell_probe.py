#!/usr/bin/env python3
"""Per-cell calibration of multiple imputations on a shared table (docs/calibration.md, "Members").

Blanks the table with `miri ampute` (BENCHMARK.md's masks, rate 0.4), fits with `miri fit`, draws
with `miri apply --draws m` (DRAWS, default 20), and prints one line: the share of missing cells
whose truth lies in the 5-95 % range of their draws (type-7 quantiles, compared in float32, the
toolkit's storage), CRPS, the draws' mean variance, the squared error of the draws' mean, the
RMSE of one draw and of the mean, and the seconds of fit and draws. Everything on the scale of
the table standardized with its full-data mean and population std.

ENSEMBLE=K spreads the draws over K fits of the same table (seeds SEED, SEED+1000, ...; m/K draws
each): the experiment that showed the variation between fits is what one fit's draws leave out.

usage: percell_probe.py MIRI TABLE MECH SEED [--method miri|mice] [-- extra miri fit flags]
       TABLE: a shared table's name (../shared/datasets, or $MIRI_DATASETS) or a CSV path
       THREADS=T (default 1)"""
import os, shutil, subprocess, sys, tempfile, time
import numpy as np
miri, table, mech, seed = sys.argv[1:5]
rest = sys.argv[5:]
method = "miri"
if rest[:1] == ["--method"]: method, rest = rest[1], rest[2:]
if rest[:1] == ["--"]: rest = rest[1:]
m = int(os.environ.get("DRAWS", "20"))
threads = os.environ.get("THREADS", "1")
d = tempfile.mkdtemp()
datasets = os.environ.get("MIRI_DATASETS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "datasets"))
src = table if table.endswith(".csv") else os.path.join(datasets, f"{table}.csv")
masked = f"{d}/masked.csv"
subprocess.run([miri, "ampute", src, "--mechanism", mech, "--rate", "0.4", "--seed", seed, "--output", masked, "--quiet"], check=True)
K = int(os.environ.get("ENSEMBLE", "1"))
t0 = time.time()
for e in range(K):
    subprocess.run([miri, "fit", masked, "--method", method, "--model", f"{d}/m{e}.model", "--seed", str(int(seed) + 1000 * e), "--threads", threads, "--quiet"] + rest, check=True)
t1 = time.time()
for e in range(K):
    subprocess.run([miri, "apply", f"{d}/m{e}.model", masked, "-o", f"{d}/draws{e}.csv", "--draws", str(m // K), "--seed", str(int(seed) + 1000 * e), "--threads", threads, "--quiet"], check=True)
t2 = time.time()
def load(p):
    return np.genfromtxt(p, delimiter=",", skip_header=1, dtype=np.float64)
truth = load(src); mk = load(masked)
miss = np.isnan(mk)
files = sorted(f for f in os.listdir(d) if f.startswith("draws"))
draws = np.stack([load(f"{d}/{f}") for f in files]) if len(files) == m or K > 1 else None
m = draws.shape[0]
if draws is None:
    raise SystemExit(f"expected {m} draw files, got {files[:3]}")
mu = truth.mean(0); sd = truth.std(0); sd[sd == 0] = 1
T = ((truth - mu) / sd)[miss].astype(np.float32)
D = ((draws - mu) / sd)[:, miss].astype(np.float32)
lo = np.quantile(D, 0.05, axis=0); hi = np.quantile(D, 0.95, axis=0)
cov = np.mean((T >= lo) & (T <= hi))
Dd = D.astype(np.float64); Td = T.astype(np.float64)
term1 = np.mean(np.abs(Dd - Td), axis=0)
Ds = np.sort(Dd, axis=0); k = np.arange(1, m + 1)[:, None]
term2 = np.sum((2 * k - m - 1) * Ds, axis=0) / (m * m)   # (1/2m^2) sum|yk-yl|
crps = np.mean(term1 - term2)
var = np.mean(Dd.var(axis=0, ddof=1)); se = np.mean((Dd.mean(0) - Td) ** 2)
rmse1 = np.sqrt(np.mean((Dd[0] - Td) ** 2)); rmsem = np.sqrt(se)
print(f"K{K} {os.path.basename(src)[:-4]} {mech} s{seed} {method} cov {cov:.3f} crps {crps:.3f} var {var:.3f} sqerr_mean {se:.3f} rmse1 {rmse1:.3f} rmse_m {rmsem:.3f} fit {t1-t0:.2f}s draws {t2-t1:.2f}s {' '.join(rest)}")
shutil.rmtree(d)
