#!/usr/bin/env python3
"""RMSE and MMD of imputed CSV tables against the complete one (docs/scaling.md).

usage: mpi-quality.py COMPLETE.csv MASKED.csv IMPUTED.csv...
Columns are standardized by the complete table's mean and std; RMSE is over the masked cells;
MMD is Metrics.mmd's (RBF kernel, sigma = median cross distance, first 2000 rows).
"""
import sys
import numpy as np

def load(path):
    return np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float64, missing_values="", filling_values=np.nan)

truth = load(sys.argv[1])
missing = np.isnan(load(sys.argv[2]))
mean, std = truth.mean(0), truth.std(0)
std[std == 0] = 1
t = (truth - mean) / std

def mmd(x, y, m=2000):
    x, y = x[:m], y[:m]
    def sq(a, b):
        return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T, 0)
    cross = sq(x, y)
    sigma = np.median(np.sqrt(cross))
    scale = 1 / (2 * sigma * sigma) if sigma > 0 else 0.5
    return np.exp(-sq(x, x) * scale).mean() + np.exp(-sq(y, y) * scale).mean() - 2 * np.exp(-cross * scale).mean()

for path in sys.argv[3:]:
    z = (load(path) - mean) / std
    assert z.shape == t.shape, path
    assert np.array_equal(z[~missing], t[~missing]) or np.allclose(z[~missing], t[~missing], rtol=0, atol=1e-6), path
    rmse = np.sqrt(((z - t)[missing] ** 2).mean())
    print(f"{path}\tRMSE {rmse:.4f}\tMMD {mmd(z, t):.3e}")
