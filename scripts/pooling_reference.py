#!/usr/bin/env python3
"""Reference numbers for the pooling tests (Tests/ImputationTests/PoolingReferenceTests.swift).

  python3 scripts/pooling_reference.py > Tests/Fixtures/pooling_reference.json

Needs numpy, scipy and statsmodels (pip install statsmodels). Independent of the Swift code:
- Rubin's rules: statsmodels' multiple-imputation combining (statsmodels.imputation.bayes_mi.MI._combine,
  the same arithmetic as MICE.combine) gives Q-bar, T = U-bar + (1 + 1/m) B and its "fmi", which is
  lambda = (1 + 1/m) B / T; U-bar and B are numpy's mean and np.cov. Barnard-Rubin's df and mice's fmi
  are written here from van Buuren (2018) sec. 2.3.6 (R mice's barnard.rubin, lambda floored at 1e-4);
  t quantiles and p-values come from scipy.stats.t.
- OLS: numpy's lstsq for the coefficients, statsmodels OLS for the standard errors.
Tables are rounded to float32 first, since the Swift side holds tables as Float.
"""
import json
import numpy as np
from scipy import stats
from statsmodels.imputation.bayes_mi import MI
import statsmodels.api as sm

rng = np.random.default_rng(20261206)


def br_df(m, lam, dfcom):
    lam = max(lam, 1e-4)
    old = (m - 1) / lam ** 2
    if np.isinf(dfcom):
        return old
    obs = (dfcom + 1) / (dfcom + 3) * dfcom * (1 - lam)
    return old * obs / (old + obs)


pooling = []
for m, k, dfcom, level in [(2, 3, 10.0, 0.95), (5, 4, 97.0, 0.95), (20, 2, 498.0, 0.90), (7, 3, float("inf"), 0.99)]:
    q = rng.normal(size=(m, k)) * rng.uniform(0.1, 2.0, size=k)
    u = rng.uniform(0.01, 1.0, size=(m, k)) ** 2
    covs = [np.diag(row) for row in u]
    params, covp, lam_sm = MI._combine(None, list(q), covs)
    ubar = u.mean(0)
    b = np.atleast_2d(np.cov(q.T)).diagonal() if k > 1 else np.array([np.var(q[:, 0], ddof=1)])
    t = np.diag(covp)
    terms = []
    for i in range(k):
        r = (1 + 1 / m) * b[i] / ubar[i]
        nu = br_df(m, lam_sm[i], dfcom)
        fmi = (r + 2 / (nu + 3)) / (1 + r)
        se = np.sqrt(t[i])
        crit = stats.t.ppf((1 + level) / 2, nu)
        stat = params[i] / se
        terms.append(dict(estimate=params[i], within=ubar[i], between=b[i], total=t[i], relativeIncrease=r,
                          lambda_=lam_sm[i], df=nu, fmi=fmi, standardError=se, statistic=stat,
                          pValue=2 * stats.t.sf(abs(stat), nu), lower=params[i] - crit * se, upper=params[i] + crit * se))
    pooling.append(dict(m=m, terms=k, completeDataDF=(None if np.isinf(dfcom) else dfcom), level=level,
                        estimates=q.tolist(), variances=u.tolist(), pooled=terms))

ols = []
for n, k in [(12, 1), (50, 3), (200, 2)]:
    x = (rng.normal(size=(n, k)) * 3 + 1).astype(np.float32).astype(np.float64)
    y = (1.5 + x @ rng.normal(size=k) + rng.normal(size=n)).astype(np.float32).astype(np.float64)
    design = np.column_stack([np.ones(n), x])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    fit = sm.OLS(y, design).fit()
    ols.append(dict(rows=n, table=np.column_stack([y, x]).tolist(), coefficients=coef.tolist(),
                    standardErrors=fit.bse.tolist(), residualVariance=fit.scale))

quantiles = [dict(p=p, df=df, t=stats.t.ppf(p, df), cdfAt=x, cdf=stats.t.cdf(x, df))
             for p, df, x in [(0.975, 1.0, 2.5), (0.975, 3.5, -1.2), (0.95, 30.0, 0.3), (0.995, 1000.0, 4.0), (0.6, 2.0, -8.0)]]

out = dict(pooling=pooling, ols=ols, t=quantiles)
print(json.dumps(out).replace('"lambda_"', '"lambda"'))
