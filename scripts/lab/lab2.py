from lab import *
import lab
def integrate(net, X, O, cfg):
    N = cfg['ode']; g = cfg.get('grid', 1)
    ts = 1 - (1 - np.arange(N + 1) / N) ** g
    x = X.copy(); n = len(x)
    for s in range(N):
        t = np.full(n, ts[s]); h = ts[s + 1] - ts[s]
        v = net.forward(net_input(x, x, O, t, 0)) * (1 - O)
        x = x + v * h
    return x


def train_round_m(Xs, O, rng, cfg, net=None):
    m, n, d = Xs.shape
    width_in = 3 * d + 1
    net = MLP([width_in] + cfg['hidden'] + [d], rng) if (net is None or not cfg.get('warm')) else net.copy()
    opt = Adam(net.params(), cfg['lr'])
    ema = [p.copy() for p in net.params()] if cfg.get('ema') else None
    B, S = cfg['batch'], cfg['steps']
    for s in range(S):
        b = rng.integers(0, n, B); p = rng.integers(0, n, B)
        cb = rng.integers(0, m, B); cp = rng.integers(0, m, B)
        x0, x1, o = Xs[cb, b], Xs[cp, p], O[b]
        K = cfg.get('pool', 1)
        if K > 1:
            # nearest of K random candidates on the source's observed coordinates
            q = rng.integers(0, n, (B, K)); cq = rng.integers(0, m, (B, K))
            cand = Xs[cq, q]                                   # B K d
            dist = (o[:, None, :] * (cand - x0[:, None, :]) ** 2).sum(2)
            pick = dist.argmin(1)
            x1 = cand[np.arange(B), pick]
        if cfg.get('jitter'):
            x0 = x0 + (1 - o) * cfg['jitter'] * rng.standard_normal(x0.shape)
        t = rng.random(B)
        if cfg.get('tpow'): t = t ** (1 / cfg['tpow'])
        if cfg.get('tmix'): t = np.where(rng.random(B) < cfg['tmix'], np.sqrt(t), t)
        xt = t[:, None] * x1 + (1 - t[:, None]) * x0
        u = o * x0 + (1 - o) * xt; w = o * x1 + (1 - o) * xt
        miss = 1 - o; cnt = miss.sum()
        if cnt == 0: continue
        f = net.forward(net_input(u, w, o, t, 0), keep=True)
        diff = (f - (x1 - x0)) * miss
        grads = net.backward((2 / cnt * diff).astype(np.float32))
        opt.step(net.params(), grads)
        if ema is not None:
            a = cfg['ema']
            for e, q in zip(ema, net.params()): e *= a; e += (1 - a) * q
    if ema is not None:
        L = len(net.W); net.W = ema[:L]; net.b = ema[L:]
    return net

def fit(data, O, cfg, seed):
    rng = np.random.default_rng(seed)
    obsd = np.where(O > 0, data, np.nan)
    mu = np.nanmean(obsd, 0); sd = np.nanstd(obsd, 0); sd[sd == 0] = 1
    Z = np.where(O > 0, (data - mu) / sd, 0)
    lo = np.where(O > 0, Z, np.inf).min(0); hi = np.where(O > 0, Z, -np.inf).max(0)
    m = cfg.get('chains', 1)
    Xs = np.stack([np.where(O > 0, Z, rng.standard_normal(Z.shape)) for _ in range(m)])
    nets = []; net = None
    for k in range(cfg['rounds']):
        net = train_round_m(Xs, O, rng, cfg, net)
        nets.append(net)
        for c in range(m):
            Xs[c] = np.where(O > 0, Z, np.clip(integrate(net, Xs[c], O, cfg), lo, hi))
    return dict(nets=nets, mu=mu, sd=sd, lo=lo, hi=hi, cfg=cfg), Xs[0] * sd + mu

def apply(model, data, O, seed):
    rng = np.random.default_rng(seed)
    mu, sd = model['mu'], model['sd']
    Z = np.where(O > 0, (data - mu) / sd, 0)
    X = np.where(O > 0, Z, rng.standard_normal(Z.shape))
    for net in model['nets']:
        X = np.where(O > 0, Z, np.clip(integrate(net, X, O, model['cfg']), model['lo'], model['hi']))
    return X * sd + mu
