#!/usr/bin/env python3
"""scikit-learn's IterativeImputer on the small mixed table of issue 24, defect D.

The table: 12 rows, two numeric columns (values up to about 29,000) and two categorical ones
(3 and 5 categories), one-hot encoded as `TableSchema.encode` does (scale 17801.207 = sqrt of the
mean population variance of the numeric columns; NaN blocks for missing categories). Before the
fix, `miri impute --method mice` stopped on it with "MICE imputed -1.26e198". Prints the encoded
table and scikit-learn's imputation of each missing entry, as MICESmallMixedTests holds them.

    pip install scikit-learn
    python3 scripts/mice_small_mixed.py
"""
import warnings

import numpy as np
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer

N = np.nan
S = 17801.20703125
X = np.array([
    [N, N, N, -15214.0, N, S, 0, 0, 0, 0],
    [S, 0, 0, -18879.0, N, S, 0, 0, 0, 0],
    [N, N, N, -2755.679932, 23661.830078, 0, S, 0, 0, 0],
    [N, N, N, 11991.30957, 7115.0, 0, 0, S, 0, 0],
    [0, S, 0, 11885.0, -28408.929688, 0, 0, 0, S, 0],
    [N, N, N, -4624.0, N, N, N, N, N, N],
    [N, N, N, N, 24598.960938, 0, S, 0, 0, 0],
    [N, N, N, -24.09, -26341.0, 0, 0, 0, S, 0],
    [0, 0, S, 27291.910156, 13980.019531, 0, 0, 0, 0, S],
    [S, 0, 0, -15908.0, 984.869995, 0, S, 0, 0, 0],
    [N, N, N, 28835.0, -5159.890137, 0, 0, S, 0, 0],
    [N, N, N, N, N, S, 0, 0, 0, 0],
], dtype=np.float64)
X = X.astype(np.float32).astype(np.float64)    # the Float table MICE reads

warnings.filterwarnings("ignore")
imputer = IterativeImputer(max_iter=10, random_state=0)
Y = imputer.fit_transform(X)
print(f"# scikit-learn rounds: {imputer.n_iter_}")
for i, j in zip(*np.where(np.isnan(X))):
    print(f"({i}, {j}, {float(Y[i, j])!r}),")
