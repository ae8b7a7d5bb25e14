#!/usr/bin/env python3
# The map stays true: every module folder under Sources/ (and the benchmark tool) is named in
# docs/architecture.md's table, and every relative link in README.md and docs/ points at a file
# or folder that exists. Exits 1 naming each miss.
import glob, os, re, sys

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
problems = []

architecture = open('docs/architecture.md', encoding='utf-8').read()
modules = sorted(d for d in os.listdir('Sources') if os.path.isdir(os.path.join('Sources', d)))
for module in modules + ['miri-bench']:
    if not re.search(r'^\|\s*`%s`\s*\|' % re.escape(module), architecture, re.M):
        problems.append('docs/architecture.md: module %s has no row in the table of modules' % module)

link = re.compile(r'\[[^\]]*\]\(([^)\s]+)\)')
for page in ['README.md'] + sorted(glob.glob('docs/**/*.md', recursive=True)):
    text = open(page, encoding='utf-8').read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)   # code blocks hold no links
    for target in link.findall(text):
        if re.match(r'^[a-z][a-z0-9+.-]*:', target) or target.startswith('#'):
            continue   # a URL, a mail address or a place in the same page
        path = target.split('#', 1)[0]
        resolved = os.path.normpath(os.path.join(os.path.dirname(page), path))
        if not os.path.exists(resolved):
            problems.append('%s: link %s does not resolve (%s)' % (page, target, resolved))

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
