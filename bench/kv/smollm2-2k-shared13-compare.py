# Round 13: the shared opening changes no figure. Compares two kv-bench JSONs value by value, apart from wall/CPU
# times and finished-in-pause (time-dependent): python3 bench/kv/smollm2-2k-shared13-compare.py bench/kv/smollm2-2k-shared13.json bench/kv/smollm2-2k-unshared13.json
import json, re, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
TIME = re.compile(r'(^|_)(ms|cpu|cpu_s|seconds)(_|$)|ms_per|cpu_ms|cpu_s|finished_in_pause')
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
print(f'{n[0]} values compared; {len(timed)} time-dependent values differ (ms, CPU, finished-in-pause); {len(diffs)} other values differ')
for d in diffs[:40]: print('  DIFF', d)
for d in timed[:8]: print('  time', d)
