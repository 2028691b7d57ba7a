# Round 14: --baselines full,prefix (chunk left out, prefix_aligned on demand) changes no remaining figure. Compares a
# kv-bench JSON run that way with one of all baselines on the same trace, value by value, apart from wall/CPU times and
# finished-in-pause (time-dependent) and what the option leaves out or changes by construction:
#   - every `chunk` and `prefix_aligned` entry (left out / run on demand);
#   - `hotpath_repaired` against the aligned reference at requests where the cut run used it as that reference
#     (there it is the reference itself), and the aggregates over it (its vs_aligned, decisive, targets'
#     repaired_identical_to_aligned_full), reference_aligned, baselines.
# At those requests it checks that the all-baselines run's repair was the aligned reference bit for bit (a[...][3] == 1):
# that is what lets the repair stand in for prefix_aligned.
#   python3 bench/kv/smollm2-2k-baselines14-compare.py bench/kv/smollm2-2k-shared13.json bench/kv/smollm2-2k-baselines14.json
import json, re, sys
def load(p):
    d = json.load(open(p)); return d.get('result', d)
a = load(sys.argv[1]); b = load(sys.argv[2])
TIME = re.compile(r'(^|_)(ms|cpu|cpu_s|seconds)(_|$)|ms_per|cpu_ms|cpu_s|finished_in_pause')
OUT = {'chunk', 'prefix_aligned'}
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if k not in OUT}
    if isinstance(x, list): return [strip(v) for v in x]
    return x
as_ref = [l['i'] for l in b['trace'] if l['repairs'] and l['i'] > 1 and 'hotpath_repaired' not in l['a']]
exact = [l['a'].get('hotpath_repaired', [0, 0, 0, 0])[3] == 1 for l in a['trace'] if l['i'] in as_ref]
for r in (a, b):
    for k in ('reference_aligned', 'baselines', 'decisive'): r.pop(k, None)
    r['ratios'].pop('chunk_evaluated_vs_full', None)
    r['targets'].pop('repaired_identical_to_aligned_full', None)
    r['strategies'].get('hotpath_repaired', {}).pop('vs_aligned', None)
    for l in r['trace']:
        if l['i'] in as_ref:
            for key in ('a', 'x'): l.get(key, {}).pop('hotpath_repaired', None)
a = strip(a); b = strip(b)
diffs = []; timed = []; n = [0]
def walk(x, y, path):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            p = path + '.' + k
            if k not in x or k not in y: diffs.append((p, x.get(k, '<missing>'), y.get(k, '<missing>'))); continue
            walk(x[k], y[k], p)
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y): diffs.append((path, f'len {len(x)}', f'len {len(y)}')); return
        for i, (u, v) in enumerate(zip(x, y)): walk(u, v, f'{path}[{i}]')
    else:
        n[0] += 1
        if x != y and not (x != x and y != y):
            (timed if TIME.search(path.split('.')[-1]) else diffs).append((path, x, y))
walk(a, b, '')
print(f'requests where hotpath_repaired was the aligned reference: {as_ref}; the all-baselines run\'s repair bit for bit the reference there: {sum(exact)} of {len(exact)}')
print(f'{n[0]} values compared; {len(timed)} time-dependent values differ (ms, CPU, finished-in-pause); {len(diffs)} other values differ')
for d in diffs[:40]: print('  DIFF', d)
for d in timed[:8]: print('  time', d)
