"""Numpy lab for diagnosing MIRI's quality (not part of the package)."""
import numpy as np, sys, time

def moons(n, rng, noise=0.1):
    t = np.pi * rng.random(n)
    even = np.arange(n) % 2 == 0
    x = np.where(even, np.cos(t), 1 - np.cos(t)) + noise * rng.standard_normal(n)
    y = np.where(even, np.sin(t), 0.5 - np.sin(t)) + noise * rng.standard_normal(n)
    return np.stack([x, y], 1)

def load_csv(path):
    return np.genfromtxt(path, delimiter=',', skip_header=1)

def mcar(shape, rate, rng):
    return (rng.random(shape) >= rate).astype(np.float64)   # 1 observed

def nn_ratio(imp, truth, obs):
    """median dist imputed row -> nearest true row (itself excluded), over rows with a missing entry, / same for true rows."""
    mu, sd = truth.mean(0), truth.std(0); sd[sd == 0] = 1
    zi, zt = (imp - mu) / sd, (truth - mu) / sd
    rows = np.where(~obs.all(1))[0]
    C = zt; c2 = (C ** 2).sum(1)
    def med(Z):
        d = []
        for s in range(0, len(rows), 512):
            idx = rows[s:s + 512]; B = Z[idx]
            D = (B ** 2).sum(1)[:, None] + c2[None] - 2 * B @ C.T
            D[np.arange(len(idx)), idx] = np.inf
            d.append(np.sqrt(np.maximum(D.min(1), 0)))
        return np.median(np.concatenate(d))
    return med(zi) / med(zt)

def rmse(imp, truth, obs):
    mu, sd = truth.mean(0), truth.std(0); sd[sd == 0] = 1
    e = ((imp - truth) / sd)[obs == 0]
    return np.sqrt((e ** 2).mean())

def w1(imp, truth):
    mu, sd = truth.mean(0), truth.std(0); sd[sd == 0] = 1
    a, b = np.sort((imp - mu) / sd, 0), np.sort((truth - mu) / sd, 0)
    return np.abs(a - b).mean()

class MLP:
    def __init__(self, widths, rng):
        self.W, self.b = [], []
        for i, o in zip(widths[:-1], widths[1:]):
            k = 1 / np.sqrt(i)
            self.W.append(rng.uniform(-k, k, (i, o)).astype(np.float32))
            self.b.append(rng.uniform(-k, k, o).astype(np.float32))
    def params(self): return self.W + self.b
    def copy(self):
        m = MLP.__new__(MLP); m.W = [w.copy() for w in self.W]; m.b = [b.copy() for b in self.b]; return m
    def forward(self, x, keep=False):
        acts = [x]; pre = []
        h = x
        L = len(self.W)
        for l in range(L):
            z = h @ self.W[l] + self.b[l]
            if l < L - 1:
                pre.append(z)
                h = z / (1 + np.exp(-z))
            else:
                h = z
            acts.append(h)
        if keep: self.cache = (acts, pre)
        return h
    def backward(self, g):
        acts, pre = self.cache
        L = len(self.W)
        gW, gb = [None] * L, [None] * L
        for l in reversed(range(L)):
            gW[l] = acts[l].T @ g; gb[l] = g.sum(0)
            if l > 0:
                g = g @ self.W[l].T
                z = pre[l - 1]; s = 1 / (1 + np.exp(-z))
                g = g * (s * (1 + z * (1 - s)))
        return gW + gb

class Adam:
    def __init__(self, params, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.m = [np.zeros_like(p) for p in params]; self.v = [np.zeros_like(p) for p in params]
        self.lr, self.b1, self.b2, self.eps, self.t = lr, b1, b2, eps, 0
    def step(self, params, grads, lr=None):
        self.t += 1; lr = self.lr if lr is None else lr
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.b1; m += (1 - self.b1) * g
            v *= self.b2; v += (1 - self.b2) * g * g
            mh = m / (1 - self.b1 ** self.t); vh = v / (1 - self.b2 ** self.t)
            p -= lr * mh / (np.sqrt(vh) + self.eps)

def tfeat(t, nf):
    if nf == 0: return t[:, None]
    k = np.arange(1, nf + 1) * np.pi
    return np.concatenate([t[:, None], np.sin(t[:, None] * k), np.cos(t[:, None] * k)], 1)

def net_input(u, w, o, t, nf):
    return np.concatenate([u, w, o, tfeat(t, nf)], 1).astype(np.float32)

def train_round(X, O, rng, cfg, target=None, net=None, Tobs=None):
    n, d = X.shape
    T = X if target is None else target
    nf = cfg.get('tfeat', 0)
    width_in = 3 * d + (1 if nf == 0 else 1 + 2 * nf)
    if net is None or not cfg.get('warm', False):
        net = MLP([width_in] + cfg['hidden'] + [d], rng)
    else:
        net = net.copy()
    opt = Adam(net.params(), cfg['lr'])
    ema = [p.copy() for p in net.params()] if cfg.get('ema') else None
    B, S = cfg['batch'], cfg['steps']
    Pobs = O if Tobs is None else Tobs
    losses = []
    for s in range(S):
        b = rng.integers(0, n, B)
        p = b.copy() if cfg.get('selfpair') else rng.integers(0, n, B)
        x0, x1, o = X[b], T[p], O[b]
        if cfg.get('tdist') == 'logitnormal':
            t = 1 / (1 + np.exp(-rng.standard_normal(B)))
        else:
            t = rng.random(B)
        xt = t[:, None] * x1 + (1 - t[:, None]) * x0
        u = o * x0 + (1 - o) * xt
        w = o * x1 + (1 - o) * xt
        miss = 1 - o
        if cfg.get('partner_obs'): miss = miss * Pobs[p]
        cnt = miss.sum()
        if cnt == 0: continue
        f = net.forward(net_input(u, w, o, t, nf), keep=True)
        diff = (f - (x1 - x0)) * miss
        losses.append((diff ** 2).sum() / cnt)
        g = (2 / cnt * diff).astype(np.float32)
        grads = net.backward(g)
        lr = cfg['lr']
        if cfg.get('cosine'): lr = cfg['lr'] * 0.5 * (1 + np.cos(np.pi * s / S))
        opt.step(net.params(), grads, lr)
        if ema is not None:
            a = cfg['ema']
            for e, q in zip(ema, net.params()): e *= a; e += (1 - a) * q
    if ema is not None:
        L = len(net.W); net.W = ema[:L]; net.b = ema[L:]
    return net, float(np.mean(losses[-50:]))

def integrate(net, X, O, cfg):
    N = cfg['ode']; nf = cfg.get('tfeat', 0)
    x = X.copy(); n = len(x)
    for s in range(N):
        t = np.full(n, s / N)
        v = net.forward(net_input(x, x, O, t, nf)) * (1 - O)
        if cfg.get('heun'):
            xp = x + v / N
            v2 = net.forward(net_input(xp, xp, O, np.full(n, (s + 1) / N), nf)) * (1 - O)
            x = x + 0.5 * (v + v2) / N
        else:
            x = x + v / N
    return x

def miri(data, O, cfg, seed=0, truth=None, log=True, oracle=False):
    rng = np.random.default_rng(seed)
    mu = np.nanmean(np.where(O > 0, data, np.nan), 0); sd = np.nanstd(np.where(O > 0, data, np.nan), 0); sd[sd == 0] = 1
    Z = (data - mu) / sd
    X = np.where(O > 0, Z, rng.standard_normal(Z.shape))
    lo = np.where(O > 0, Z, np.inf).min(0); hi = np.where(O > 0, Z, -np.inf).max(0)
    net = None
    hist = []
    for k in range(cfg['rounds']):
        tgt = ((truth - mu) / sd) if oracle else None
        net, loss = train_round(X, O, rng, cfg, target=tgt, net=net, Tobs=np.ones_like(O) if oracle else None)
        Xn = integrate(net, X, O, cfg)
        Xn = np.where(O > 0, Z, np.clip(Xn, lo, hi))
        move = np.sqrt((((Xn - X) * (1 - O)) ** 2).sum() / (1 - O).sum())
        X = Xn
        imp = X * sd + mu
        if truth is not None:
            r = (k + 1, loss, move, nn_ratio(imp, truth, O), rmse(imp, truth, O), w1(imp, truth))
            hist.append(r)
            if log: print('  round %d loss %.3f move %.3f nn %.3f rmse %.3f w1 %.4f' % r, flush=True)
    return X * sd + mu, hist

BASE = dict(rounds=10, steps=600, batch=128, lr=1e-3, hidden=[128, 128], ode=20)
