#!/usr/bin/env python3
"""The peer of `miri-bench inference`: scikit-learn's IterativeImputer(sample_posterior=True),
m chains (random_state = seed + k), on the same settings, pooled with Rubin's rules
(Barnard-Rubin df, mice's lambda floor), OLS by numpy. Prints coverage with its Monte-Carlo s.e.

  python3 scripts/inference_sklearn.py --settings B --simulations 200 --draws 5,20

Tables come from numpy's generator (not the Swift stream): the same laws, other tables.
"""
import argparse
import numpy as np
from scipy import stats
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer


def simulate(setting, n, rng):
    if setting in "AC":
        x = rng.normal(size=n); y = x + rng.normal(size=n)
        t = np.column_stack([x, y])
        if setting == "A":
            miss = rng.uniform(size=n) < 0.5
        else:
            a = marIntercept
            miss = rng.uniform(size=n) < 1 / (1 + np.exp(-(a + y)))
        m = t.copy(); m[miss, 0] = np.nan
        return m
    x = rng.uniform(-2, 2, size=n); z = x ** 2 + 0.5 * rng.normal(size=n); w = x + z + rng.normal(size=n)
    m = np.column_stack([x, z, w])
    m[rng.uniform(size=n) < 0.4, 0] = np.nan
    m[rng.uniform(size=n) < 0.4, 1] = np.nan
    return m


def mar_intercept():
    z = np.arange(-2000, 2001) / 200; d = np.exp(-0.5 * z * z)
    lo, hi = -5.0, 5.0
    for _ in range(100):
        mid = (lo + hi) / 2
        r = (d / (1 + np.exp(-(mid + np.sqrt(2) * z)))).sum() / d.sum()
        lo, hi = (mid, hi) if r < 0.4 else (lo, mid)
    return (lo + hi) / 2


marIntercept = mar_intercept()


def ols(t, resp, preds):
    X = np.column_stack([np.ones(len(t))] + [t[:, p] for p in preds]); y = t[:, resp]
    b, *_ = np.linalg.lstsq(X, y, rcond=None)
    df = len(y) - X.shape[1]
    s2 = ((y - X @ b) ** 2).sum() / df
    return b, s2 * np.diag(np.linalg.inv(X.T @ X)), df


def estimands(setting, t):
    n = len(t)
    if setting in "AC":
        b, v, df = ols(t, 1, [0])
        return [(b[1], v[1], df), (t[:, 0].mean(), t[:, 0].var(ddof=1) / n, n - 1)]
    b, v, df = ols(t, 2, [0, 1])
    return [(t[:, 1].mean(), t[:, 1].var(ddof=1) / n, n - 1), (b[1], v[1], df), (b[2], v[2], df)]


def pool(q, u, dfcom):
    m = len(q); qbar = np.mean(q); ubar = np.mean(u); b = np.var(q, ddof=1)
    t = ubar + (1 + 1 / m) * b
    lam = max((1 + 1 / m) * b / t, 1e-4)
    old = (m - 1) / lam ** 2; obs = (dfcom + 1) / (dfcom + 3) * dfcom * (1 - lam)
    nu = old * obs / (old + obs)
    half = stats.t.ppf(0.975, nu) * np.sqrt(t)
    return qbar - half, qbar + half


ap = argparse.ArgumentParser()
ap.add_argument("--settings", default="A,C,B"); ap.add_argument("--simulations", type=int, default=200)
ap.add_argument("--draws", default="5,20"); ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()
ms = [int(v) for v in args.draws.split(",")]
names = {"A": ["slope", "mean of x"], "C": ["slope", "mean of x"], "B": ["mean of z", "coef x", "coef z"]}
truth = {"A": [1, 0], "C": [1, 0], "B": [4 / 3, 1, 1]}
for setting in args.settings.split(","):
    n = 1000 if setting == "B" else 500
    rng = np.random.default_rng(args.seed)
    hits = {m: np.zeros(len(names[setting])) for m in ms}
    for s in range(args.simulations):
        masked = simulate(setting, n, rng)
        tables = [IterativeImputer(sample_posterior=True, random_state=args.seed * 100000 + s * 100 + k).fit_transform(masked)
                  for k in range(max(ms))]
        per = [estimands(setting, t) for t in tables]
        for m in ms:
            for e in range(len(names[setting])):
                lo, hi = pool([p[e][0] for p in per[:m]], [p[e][1] for p in per[:m]], per[0][e][2])
                hits[m][e] += lo <= truth[setting][e] <= hi
    for m in ms:
        for e, name in enumerate(names[setting]):
            cr = hits[m][e] / args.simulations
            print(f"| {setting} | sklearn | {m} | {name} | {cr:.3f} ± {np.sqrt(cr * (1 - cr) / args.simulations):.3f} |", flush=True)
