# bench/kv.md round 11: the gapMax rows over the 12 far renames, merged per edit from the replay logs in bench/kv/
# (round 10's gap rows where the partition of groups into gaps and decoded groups is the same; round 11's hybrid rows elsewhere).
# Run from the repository root: python3 bench/kv/smollm2-2k-far11-merge.py
import re, sys
def parse(path):
    out = {}; req = None
    for line in open(path):
        m = re.match(r'^req (\d+): (?:[a-z-]+, )?(\d+) tokens, first change at (\d+)', line)
        if m: req = int(m.group(1)); out[req] = {'tokens': int(m.group(2)), 'first': int(m.group(3)), 'rows': {}}; continue
        m = re.match(r'^  (\S+)(?: \((\d+)\))?\s+greedy (\d+)/(\d+) top1 ([\d.]+) kl ([\d.]+)', line)
        if m and req is not None:
            out[req]['rows'][m.group(1)] = dict(fg=int(m.group(2)) if m.group(2) else None, g=int(m.group(3)) / int(m.group(4)), cp=int(m.group(3)), top1=float(m.group(5)), kl=float(m.group(6)))
    return out
B = "bench/kv/"
r10 = {'logger': parse(B + 'smollm2-2k-far10-gap-logger.txt'), 'card': parse(B + 'smollm2-2k-far10-gap-card.txt')}
r9card = {**parse(B + 'smollm2-2k-far9-diag-card.txt'), **parse(B + 'smollm2-2k-far9-diag-card2.txt')}
r11 = {'logger': parse(B + 'smollm2-2k-far11-hybrid-logger.txt'), 'card': parse(B + 'smollm2-2k-far11-hybrid-card.txt')}
rows = {}
def add(name, e):
    rows.setdefault(name, []).append(e)
for f in ['logger', 'card']:
    for req, d in sorted(r10[f].items()):
        prefix = d['tokens'] - d['first']
        editor = d['rows'].get('hotpath_context4') or r9card.get(req, {}).get('rows', {}).get('hotpath_context4')
        new = r11[f].get(req)
        for name, src in [('editor (ctx4, tail 256)', editor), ('gap, tail 256', d['rows']['hotpath_gap']), ('gap, no tail', d['rows']['hotpath_gap_tail0']),
                          ('hybrid16, tail 256', (new['rows']['hotpath_hybrid16'] if new else d['rows']['hotpath_gap'])),
                          ('hybrid16, no tail', (new['rows']['hotpath_hybrid16_tail0'] if new else d['rows']['hotpath_gap_tail0']))]:
            if src is None: continue
            add(name, dict(src, prefix=prefix, edit=f'{f} {req}'))
# group sizes per rename edit (EDITS_ONLY=1 output, round 11)
groups = {'logger 1': [2]*11, 'logger 3': [3]*4, 'logger 6': [2,2], 'logger 8': [3]*5, 'logger 9': [2,20,2,16,2,16]+[2]*15,
          'card 1': [3], 'card 3': [17], 'card 4': [2,36,2], 'card 6': [3], 'card 8': [2,2,2,2,18,2,2], 'card 10': [3,1], 'card 11': [4,2]}
out = {}
for f in ['logger', 'card']:
    for req, d in sorted(r10[f].items()):
        e = f'{f} {req}'; prefix = d['tokens'] - d['first']
        editor = d['rows'].get('hotpath_context4') or r9card.get(req, {}).get('rows', {}).get('hotpath_context4')
        new = r11[f].get(req)
        for gm in [16, 32]:
            big = any(g > gm for g in groups[e])
            for tail, gaprow, hyb in [('tail 256', 'hotpath_gap', 'hotpath_hybrid16'), ('no tail', 'hotpath_gap_tail0', 'hotpath_hybrid16_tail0')]:
                if not big: src = d['rows'][gaprow]
                else:
                    # the decoded set for gm=32 equals gm=16's where no group lies in (16, 32]
                    assert gm == 16 or not any(16 < g <= 32 for g in groups[e]), e
                    src = new['rows'][hyb]
                out.setdefault(f'gapMax {gm}, {tail}', []).append(dict(src, prefix=prefix, edit=e))
        out.setdefault('editor', []).append(dict(editor, prefix=prefix, edit=e))
for name, es in out.items():
    n = len(es); fg = sum(x['fg'] for x in es)/n
    ratio = sum(x['fg'] + x['prefix'] for x in es) / sum(x['prefix'] for x in es)
    print(f"| {name} | {n} | {fg:.1f} | {ratio:.4f} | {sum(x['g'] for x in es)/n:.3f} ({sum(x['g']>=0.95 for x in es)} of {n}) | {sum(x['cp']>0 for x in es)} of {n} | {sum(x['top1'] for x in es)/n:.3f} | {sum(x['kl'] for x in es)/n:.4f} |")
for name, es in out.items(): print(name.ljust(22), ' '.join(f"{x['edit']}:{x['cp']}" for x in es))
