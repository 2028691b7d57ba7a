#!/usr/bin/env python3
"""Side checks behind the round-17 first judge's verdicts on the fresh held-out corpora (issue 13).

Each check times the package's own code (from the fetched corpus in ~/.cache/hotpath/precision-corpora,
`npx tsx bench/precision/fetch.ts <name>`) or, where the function is a few lines, a faithful copy of it,
as shipped and with the change the finding suggests, on generated input. One run per size, two timings
each; on a loaded machine the figures are rough.

  python3 bench/precision/round17-side-checks.py cotengra-sa 20 40 70     # needs numpy + autoray (a venv)
  python3 bench/precision/round17-side-checks.py linkml-order random 100 300 1000
  python3 bench/precision/round17-side-checks.py linkml-order ordered 300 1000

The JavaScript checks are in round17-side-checks.cjs.
"""
import glob
import os
import random
import sys
import time
import types

CORPORA = os.environ.get('HOTPATH_CORPORA') or os.path.join(os.path.expanduser('~'), '.cache', 'hotpath', 'precision-corpora')


def corpus(name: str) -> str:
    found = sorted(glob.glob(os.path.join(CORPORA, f'{name}-*')))
    if not found:
        sys.exit(f'{name} is not fetched: npx tsx bench/precision/fetch.ts {name}')
    return found[-1]


def cotengra_sa(sizes: list[int]) -> None:
    """cotengra's simulated_anneal_tree: the shipped BFS with `candidates.pop(0)` vs the same module with a deque."""
    sys.path.insert(0, corpus('cotengra'))
    import collections
    import cotengra as ctg
    from cotengra.pathfinders import path_simulated_annealing as sa
    src = open(sa.__file__).read()
    patched = src.replace('candidates = [tree.root]', 'candidates = collections.deque([tree.root])').replace('candidates.pop(0)', 'candidates.popleft()')
    assert patched != src
    deque_mod = types.ModuleType('sa_deque')
    deque_mod.__dict__.update(__file__=sa.__file__, __package__=sa.__package__)
    exec(compile('import collections\n' + patched, 'sa_deque', 'exec'), deque_mod.__dict__)
    for side in sizes:
        inputs, output, _shapes, size_dict = ctg.utils.lattice_equation([side, side], d_min=2, d_max=2, seed=7)
        tree0 = ctg.array_contract_tree(inputs, output, size_dict, optimize='greedy')
        for name, mod in (('list pop(0)', sa), ('deque', deque_mod), ('list pop(0)', sa), ('deque', deque_mod)):
            t = tree0.copy()
            t0 = time.perf_counter()
            mod.simulated_anneal_tree(t, tsteps=4, numiter=4, seed=1)
            print(f'{side}x{side} lattice ({len(inputs)} tensors): {name}: {time.perf_counter() - t0:.3f} s', flush=True)


class Cls:
    def __init__(self, name, is_a):
        self.name, self.is_a = name, is_a


def order_shipped(clist):
    """linkml-runtime SchemaView._order_inheritance as shipped (its loop, without the error branch)."""
    clist = list(clist)
    slist = []
    while clist:
        for i in range(len(clist)):
            candidate = clist[i]
            if candidate.is_a is None or candidate.is_a in [p.name for p in slist]:
                slist = [*slist, candidate]
                del clist[i]
                break
    return slist


def order_with_set(clist):
    clist = list(clist)
    slist, names = [], set()
    while clist:
        for i in range(len(clist)):
            candidate = clist[i]
            if candidate.is_a is None or candidate.is_a in names:
                slist.append(candidate)
                names.add(candidate.name)
                del clist[i]
                break
    return slist


def linkml_order(order: str, sizes: list[int]) -> None:
    for n in sizes:
        r = random.Random(18)
        classes = [Cls('c0', None)] + [Cls(f'c{i}', f'c{r.randrange(i)}') for i in range(1, n)]
        if order == 'random':
            r.shuffle(classes)
        for f in (order_shipped, order_with_set, order_shipped, order_with_set):
            t0 = time.perf_counter()
            out = f(classes)
            assert len(out) == n
            print(f"{n} classes ({'parents first' if order == 'ordered' else 'random order'}): {f.__name__}: {(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)


if __name__ == '__main__':
    what, args = sys.argv[1], sys.argv[2:]
    if what == 'cotengra-sa':
        cotengra_sa([int(a) for a in args])
    elif what == 'linkml-order':
        linkml_order(args[0], [int(a) for a in args[1:]])
    else:
        sys.exit(__doc__)
