#!/usr/bin/env python3
# Every module a target imports must be one of its direct dependencies in Package.swift:
# a module reached only transitively (or not at all) builds locally by luck of build order
# and fails on a fresh clone (CI once failed this way: TestSupport imported Imputation).
import re,os,glob,sys
pkg=open('Package.swift').read()
targets={}
for m in re.finditer(r'\.(?:target|executableTarget|testTarget)\(\s*name:\s*"([^"]+)"(.*?)\)\s*,?\s*\n', pkg, re.S):
    name=m.group(1); body=m.group(2)
    deps=set(re.findall(r'"([^"]+)"', body.split('path:')[0]))
    pm=re.search(r'path:\s*"([^"]+)"', body)
    path=pm.group(1) if pm else (('Tests/' if 'testTarget' in m.group(0) else 'Sources/')+name)
    targets[name]=(deps,path)
mods=set(targets)|{'CBLAS','CMPI'}
# transitive closure
def clos(t,seen=None):
    seen=seen or set()
    for d in targets.get(t,(set(),''))[0]:
        if d not in seen:
            seen.add(d); clos(d,seen)
    return seen
bad=0
for t,(deps,path) in targets.items():
    imps=set()
    for f in glob.glob(path+'/**/*.swift',recursive=True):
        for l in open(f):
            mm=re.match(r'\s*(?:@testable\s+|@_exported\s+)?import\s+(\w+)',l)
            if mm and mm.group(1) in mods: imps.add(mm.group(1))
    missing=imps-deps-{t}
    if missing: bad=1; print(t,'imports without direct dependency:',sorted(missing))
sys.exit(bad)
