#!/usr/bin/env python3
"""Which categories MIRI over- or under-draws on bike made mixed (x3 season, x10 weather, as in
`miri-bench mixed`): 40 % MCAR (numpy mask), `miri impute --categorical x3,x10`, then each
category's share among the imputed cells beside the truth's share among the same cells.

usage: category_shares_probe.py MIRI WORKDIR [SEED] [extra miri impute flags]
"""
import csv, subprocess, sys, os, collections, numpy as np
miri = sys.argv[1]; work = sys.argv[2]; seed = sys.argv[3] if len(sys.argv) > 3 else "1"
os.makedirs(work, exist_ok=True)
rows = list(csv.reader(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'datasets', 'bike.csv'))))
head, body = rows[0], rows[1:]
j3, j10 = head.index('x3'), head.index('x10')
vals10 = sorted(set(float(r[j10]) for r in body)); vals3 = sorted(set(float(r[j3]) for r in body))
lab10 = dict(zip(vals10, ["clear", "mist", "light rain", "heavy rain"])); lab3 = dict(zip(vals3, ["winter", "spring", "summer", "fall"]))
for r in body: r[j10] = lab10[float(r[j10])]; r[j3] = lab3[float(r[j3])]
rng = np.random.default_rng(int(seed))
miss = rng.random((len(body), len(head))) < 0.4
with open(f'{work}/t.csv', 'w', newline='') as f:
    w = csv.writer(f); w.writerow(head)
    for i, r in enumerate(body): w.writerow(['' if miss[i, j] else v for j, v in enumerate(r)])
subprocess.run([miri, 'impute', f'{work}/t.csv', '-o', f'{work}/o.csv', '--seed', seed, '--threads', '2', '--quiet', '--categorical', 'x3,x10'] + sys.argv[4:], check=True)
out = list(csv.reader(open(f'{work}/o.csv')))[1:]
for j, name in [(j3, 'x3'), (j10, 'x10')]:
    cells = [i for i in range(len(body)) if miss[i, j]]
    t = collections.Counter(body[i][j] for i in cells); o = collections.Counter(out[i][j] for i in cells)
    print(name, ' '.join(f'{k}: truth {100*t[k]/len(cells):.1f} drawn {100*o[k]/len(cells):.1f}' for k in sorted(t)))
