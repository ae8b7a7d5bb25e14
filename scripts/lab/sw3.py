from lab2 import *
import json, os, sys
out = open(sys.argv[1], 'a'); which = sys.argv[2]
# The shared tables beside the repository, as the package's tests find them (MIRI_DATASETS overrides).
DATASETS = os.environ.get('MIRI_DATASETS', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'datasets'))
for arg in sys.argv[3:]:
    cfg = dict(BASE); cfg.update(dict(warm=True, ema=0.99, chains=4)); cfg.update(json.loads(arg)); seed = cfg.pop('seed', 7)
    rng = np.random.default_rng(seed)
    truth = moons(2000, rng) if which == 'moons' else load_csv(os.path.join(DATASETS, '%s.csv' % which))
    O = mcar(truth.shape, 0.4, rng); data = np.where(O > 0, truth, np.nan)
    if 'chains' not in json.loads(arg): cfg['chains'] = min(16, -(-8192 // len(truth)))
    t0 = time.time()
    model, imp = fit(data, O, cfg, seed)
    draws = [apply(model, data, O, 100 + s) for s in range(5)]
    avg = np.mean(draws, 0)
    out.write('%s %s seed %d | fit nn %.3f rmse %.3f | draws nn %s rmse %s | avg5 rmse %.3f | %.0fs\n' % (
        which, arg, seed, nn_ratio(imp, truth, O), rmse(imp, truth, O),
        ' '.join('%.2f' % nn_ratio(x, truth, O) for x in draws[:3]), ' '.join('%.3f' % rmse(x, truth, O) for x in draws[:3]),
        rmse(avg, truth, O), time.time() - t0)); out.flush()
