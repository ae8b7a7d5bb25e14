from lab2 import *
import json, sys
cfg = dict(BASE); cfg.update(dict(warm=True, ema=0.99, chains=4)); cfg.update(json.loads(sys.argv[1]))
seed=int(sys.argv[2]) if len(sys.argv)>2 else 7; rng = np.random.default_rng(seed)
truth = moons(2000, rng); O = mcar(truth.shape, 0.4, rng); data = np.where(O > 0, truth, np.nan)
model, imp = fit(data, O, cfg, seed)
def nnd(Z, rows, C):
    c2=(C**2).sum(1); B=Z[rows]; D=(B**2).sum(1)[:,None]+c2[None]-2*B@C.T; D[np.arange(len(rows)),rows]=np.inf
    return np.sqrt(np.maximum(D.min(1),0))
mu,sd=truth.mean(0),truth.std(0)
zi,zt=(imp-mu)/sd,(truth-mu)/sd
for name,sel in [('x miss',(O[:,0]==0)&(O[:,1]==1)),('y miss',(O[:,0]==1)&(O[:,1]==0)),('both',(O.sum(1)==0))]:
    rows=np.where(sel)[0]
    a=nnd(zi,rows,zt); b=nnd(zt,rows,zt)
    print(sys.argv[1], name, len(rows), 'median imp %.4f true %.4f ratio %.3f'%(np.median(a),np.median(b),np.median(a)/np.median(b)))
rows=np.where(O.sum(1)<2)[0]; print('all ratio %.3f'%(np.median(nnd(zi,rows,zt))/np.median(nnd(zt,rows,zt))))
