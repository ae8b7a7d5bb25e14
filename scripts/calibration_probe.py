#!/usr/bin/env python3
"""Calibration probe of MIRI's draws on the inference settings A, C and B of BENCHMARK.md.

Each simulation: a fresh table (n = 500, x ~ N(0,1), y = x + e), x missing MCAR 50 % (A) or with
probability logistic(a + y), a set for 40 % (C); `miri fit` + `miri apply --draws m`; then

- draws' variance: mean over missing cells of the variance of the m draws (truth Var[x|y] = 0.5);
- centre: regression of the cell's draw mean on y (truth E[x|y] = y/2: slope 0.5, intercept 0),
  and the mean of (draw mean - y/2);
- per-cell coverage of the 5-95 % range of the draws (type-7 quantiles; exact sampler with
  m = 20: about 81.5 %);
- Rubin's rules (Barnard-Rubin df) for the slope of y on x (truth 1) and the mean of x (truth 0):
  percent bias and coverage of the nominal 95 % interval.

Setting B (n = 1,000, x ~ U(-2, 2), z = x^2 + 0.5 e, w = x + z + e, 40 % of x and of z MCAR)
reports the per-cell coverage of the 5-95 % range for x and z and the draws' variance beside an
exact sampler's (grid posterior of each row given what it observes), to tell a too-narrow draw
from a misplaced one.

usage: calibration_probe.py --setting A --sims 30 --draws 20 [--jobs 2] [-- extra miri fit flags]
"""
import argparse, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
import numpy as np
from scipy import stats

MIRI = os.environ.get("MIRI", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "miri"))


def table(setting, n, rng):
    x = rng.normal(size=n)
    y = x + rng.normal(size=n)
    if setting == "A":
        miss = rng.random(n) < 0.5
    else:  # C: logistic(a + y) with a set for a 40 % rate (a = -0.5 gives about 0.40 here)
        p = 1 / (1 + np.exp(-(-0.5 + y)))
        miss = rng.random(n) < p
    return x, y, miss


def table_b(n, rng):
    x = rng.uniform(-2, 2, size=n)
    z = x ** 2 + 0.5 * rng.normal(size=n)
    w = x + z + rng.normal(size=n)
    return x, z, w, rng.random(n) < 0.4, rng.random(n) < 0.4


GRID_X = np.linspace(-2, 2, 801)


def exact_b(x, z, w, mx, mz, m, rng):
    """m draws of each row's missing x and z from their exact conditional law (grid over x)."""
    n = len(x)
    dx, dz = np.full((m, n), np.nan), np.full((m, n), np.nan)
    for i in range(n):
        if not (mx[i] or mz[i]):
            continue
        if mx[i]:
            g = GRID_X
            if mz[i]:   # z | x, w is Gaussian: N(x^2, .25) times N(w - x, 1) in z; integrated out for x
                logp = -0.5 * (w[i] - g - g ** 2) ** 2 / 1.25
            else:
                logp = -0.5 * (z[i] - g ** 2) ** 2 / 0.25 - 0.5 * (w[i] - g - z[i]) ** 2
            p = np.exp(logp - logp.max()); p /= p.sum()
            idx = rng.choice(len(g), size=m, p=p)
            xs = g[idx] + rng.uniform(-0.0025, 0.0025, size=m)
            dx[:, i] = xs
            if mz[i]:
                dz[:, i] = (4 * xs ** 2 + (w[i] - xs)) / 5 + np.sqrt(1 / 5) * rng.normal(size=m)
        else:
            mean = (4 * x[i] ** 2 + (w[i] - x[i])) / 5
            dz[:, i] = mean + np.sqrt(1 / 5) * rng.normal(size=m)
    return dx, dz


def range_cover(draws, truth):
    lo = np.quantile(draws, 0.05, axis=0); hi = np.quantile(draws, 0.95, axis=0)
    return np.mean((truth >= lo) & (truth <= hi))


def one_b(sim, args, flags, work):
    rng = np.random.default_rng(20_000 + sim)
    n = args.n if args.n != 500 else 1000
    x, z, w, mx, mz = table_b(n, rng)
    d = os.path.join(work, f"s{sim}")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "t.csv")
    with open(path, "w") as f:
        f.write("x,z,w\n")
        for i in range(n):
            f.write(("" if mx[i] else "%.7g" % x[i]) + "," + ("" if mz[i] else "%.7g" % z[i]) + ",%.7g\n" % w[i])
    seed = str(sim + 1)
    subprocess.run([MIRI, "fit", path, "--model", os.path.join(d, "m.miri"), "--seed", seed, "--quiet",
                    "--threads", "1"] + flags, check=True)
    subprocess.run([MIRI, "apply", os.path.join(d, "m.miri"), path, "-o", os.path.join(d, "d.csv"),
                    "--draws", str(args.draws), "--seed", seed, "--quiet", "--threads", "1"], check=True)
    tables = [np.loadtxt(os.path.join(d, f"d.{k}.csv"), delimiter=",", skiprows=1) for k in range(1, args.draws + 1)]
    mirix = np.stack([t[:, 0] for t in tables]); miriz = np.stack([t[:, 1] for t in tables])
    ex, ez = exact_b(x, z, w, mx, mz, args.draws, rng)
    out = {}
    for name, dr, truth, miss in [("x", mirix, x, mx), ("z", miriz, z, mz)]:
        out["cover_" + name] = range_cover(dr[:, miss], truth[miss])
        out["var_" + name] = dr[:, miss].var(axis=0, ddof=1).mean()
    for name, dr, truth, miss in [("x", ex, x, mx), ("z", ez, z, mz)]:
        out["exact_cover_" + name] = range_cover(dr[:, miss], truth[miss])
        out["exact_var_" + name] = dr[:, miss].var(axis=0, ddof=1).mean()
    if not args.keep:
        subprocess.run(["rm", "-rf", d])
    return out


def rubin(estimates, variances, n_complete_df):
    m = len(estimates)
    q = np.mean(estimates); u = np.mean(variances); b = np.var(estimates, ddof=1)
    t = u + (1 + 1 / m) * b
    lam = (1 + 1 / m) * b / t if t > 0 else 0.0
    nu_old = (m - 1) / max(lam, 1e-12) ** 2
    nu_obs = (n_complete_df + 1) / (n_complete_df + 3) * n_complete_df * (1 - lam)
    nu = 1 / (1 / nu_old + 1 / nu_obs)
    return q, t, nu


def one(sim, args, flags, work):
    rng = np.random.default_rng(10_000 + sim)
    x, y, miss = table(args.setting, args.n, rng)
    d = os.path.join(work, f"s{sim}")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "t.csv")
    with open(path, "w") as f:
        f.write("x,y\n")
        for a, b, mm in zip(x, y, miss):
            f.write(("" if mm else "%.7g" % a) + ",%.7g\n" % b)
    seed = str(sim + 1)
    subprocess.run([MIRI, "fit", path, "--model", os.path.join(d, "m.miri"), "--seed", seed, "--quiet",
                    "--threads", "1"] + flags, check=True)
    subprocess.run([MIRI, "apply", os.path.join(d, "m.miri"), path, "-o", os.path.join(d, "d.csv"),
                    "--draws", str(args.draws), "--seed", seed, "--quiet", "--threads", "1"], check=True)
    draws = np.stack([np.loadtxt(os.path.join(d, f"d.{k}.csv"), delimiter=",", skiprows=1)[:, 0]
                      for k in range(1, args.draws + 1)])
    xm = draws[:, miss]                      # m × cells
    ym = y[miss]
    var = xm.var(axis=0, ddof=1).mean()
    centre = xm.mean(axis=0)
    cslope, cint = np.polyfit(ym, centre, 1)
    lo = np.quantile(xm, 0.05, axis=0); hi = np.quantile(xm, 0.95, axis=0)
    cover = np.mean((x[miss] >= lo) & (x[miss] <= hi))
    n = args.n
    slopes, svars, means, mvars = [], [], [], []
    for k in range(args.draws):
        xc = draws[k]
        X = np.column_stack([np.ones(n), xc])
        beta, res, *_ = np.linalg.lstsq(X, y, rcond=None)
        s2 = np.sum((y - X @ beta) ** 2) / (n - 2)
        cov = s2 * np.linalg.inv(X.T @ X)
        slopes.append(beta[1]); svars.append(cov[1, 1])
        means.append(xc.mean()); mvars.append(xc.var(ddof=1) / n)
    out = dict(var=var, cslope=cslope, cint=cint, cbias=np.mean(centre - ym / 2), cover=cover)
    for name, est, v, truth, df in [("slope", slopes, svars, 1.0, n - 2), ("mean", means, mvars, 0.0, n - 1)]:
        q, t, nu = rubin(np.array(est), np.array(v), df)
        half = stats.t.ppf(0.975, nu) * np.sqrt(t)
        out[name] = q; out[name + "_cov"] = float(abs(q - truth) <= half); out[name + "_w"] = 2 * half
    if not args.keep:
        subprocess.run(["rm", "-rf", d])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--setting", default="A", choices=["A", "C", "B"])
    ap.add_argument("--sims", type=int, default=30)
    ap.add_argument("--first", type=int, default=0, help="first simulation index (tables are seeded by index)")
    ap.add_argument("--draws", type=int, default=20)
    ap.add_argument("--n", type=int, default=500, help="rows (B: 1,000 unless given)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--label", default="")
    ap.add_argument("flags", nargs="*", help="extra flags for miri fit (after --)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="calib-")
    run = one_b if args.setting == "B" else one
    with ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(lambda s: run(s, args, args.flags, work), range(args.first, args.first + args.sims)))
    R = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    S = len(rows)
    if args.setting == "B":
        print(f"{args.label} setting B sims {S} m {args.draws} flags {' '.join(args.flags) or '(default)'}")
        for v in ["x", "z"]:
            print(f"  {v}: per-cell 5-95% coverage {100 * R['cover_' + v].mean():.1f}% (exact {100 * R['exact_cover_' + v].mean():.1f}%)"
                  f" | draws' variance {R['var_' + v].mean():.3f} (exact {R['exact_var_' + v].mean():.3f})")
        return
    se = lambda p: np.sqrt(max(p * (1 - p), 1e-9) / S)
    print(f"{args.label} setting {args.setting} sims {S} m {args.draws} flags {' '.join(args.flags) or '(default)'}")
    print(f"  draws' var {R['var'].mean():.3f} (truth 0.5) | centre slope on y {R['cslope'].mean():.3f} (0.5) "
          f"intercept {R['cint'].mean():+.3f} | centre bias {R['cbias'].mean():+.3f} | "
          f"per-cell 5-95% coverage {100 * R['cover'].mean():.1f}% (exact ~81.5%)")
    for name, truth in [("slope", 1.0), ("mean", 0.0)]:
        pb = 100 * (R[name].mean() - truth) / truth if truth else float("nan")
        c = R[name + "_cov"].mean()
        print(f"  {name}: estimate {R[name].mean():+.4f} (truth {truth}) bias {R[name].mean() - truth:+.4f}"
              + (f" PB {pb:+.1f}%" if truth else "")
              + f" coverage {c:.3f} (MC se {se(c):.3f}) width {R[name + '_w'].mean():.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
