// The Python side of the harness: written to the run's temporary directory and started as
// `python3 -I -S harness.py spec.json`-like (see sandbox.ts). It loads the extracted functions as
// modules of their own, generates inputs, and answers commands from the server over fd 3 (a
// socket pair); the user's stdout/stderr stay theirs and are only counted and capped by the parent.
export const PYTHON_HARNESS = String.raw`
import sys, os, json, time, gc, random, math, copy, socket, traceback, types

HARNESS_PID = os.getpid()
ALPHA = 'abcdefghijklmnopqrstuvwxyz'
ATOMIC_KINDS = ('int', 'float', 'str', 'bool', 'bytes', 'none')

def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    chan = socket.socket(fileno=3)
    rfile = chan.makefile('rb')

    def send(obj):
        if os.getpid() != HARNESS_PID:
            os._exit(0)
        chan.sendall((json.dumps(obj) + '\n').encode())

    mem = spec.get('memoryMb')
    if mem:
        try:
            import resource
            # A backstop above the resident-set limit the server enforces: address space is not
            # memory (allocators and native libraries reserve more than they touch).
            lim = (int(mem) * 2 + 1024) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        except Exception:
            pass

    def tb(e):
        lines = traceback.format_exception(type(e), e, e.__traceback__)
        # Drop the harness's own frames.
        keep = [l for l in lines if 'hotpath_harness.py' not in l]
        return ''.join(keep)[-4000:]

    fns = []
    modules = []
    for i, t in enumerate(spec['targets']):
        fname = t.get('file') or '<source>'
        d = os.path.dirname(os.path.abspath(t['file'])) if t.get('file') else os.getcwd()
        if d not in sys.path:
            sys.path.insert(0, d)
        modname = '__hotpath_target_%d__' % i
        mod = types.ModuleType(modname)
        mod.__file__ = fname
        sys.modules[modname] = mod
        try:
            exec(compile(t['code'], fname, 'exec'), mod.__dict__)
        except BaseException as e:
            send({'ev': 'error', 'where': 'load', 'target': i, 'type': type(e).__name__, 'message': str(e), 'traceback': tb(e)})
            return
        fn = mod.__dict__.get(t['name'])
        if not callable(fn):
            send({'ev': 'error', 'where': 'load', 'target': i, 'type': 'NameError', 'message': '%s is not a function' % t['name'], 'traceback': ''})
            return
        if t.get('isAsync'):
            import asyncio
            fn = (lambda f: lambda *a: asyncio.run(f(*a)))(fn)
        elif t.get('isGenerator'):
            fn = (lambda f: lambda *a: list(f(*a)))(fn)
        fns.append(fn)
        modules.append(mod)

    inp = spec['input']
    generator = None
    if inp['kind'] == 'generator':
        generator = modules[inp['target']].__dict__.get(inp['name'])
        if not callable(generator):
            send({'ev': 'error', 'where': 'load', 'target': inp['target'], 'type': 'NameError', 'message': 'input generator %s is not a function' % inp['name'], 'traceback': ''})
            return

    def gen(t, n, rng, top):
        k = t['k']
        size = n if top else 8
        if k == 'int':
            return n if top else int(rng.random() * (4 * max(n, 1) + 10))
        if k == 'float':
            return float(n) if top else rng.random()
        if k == 'str':
            return ''.join(rng.choices(ALPHA, k=size))
        if k == 'bool':
            return rng.random() < 0.5
        if k == 'bytes':
            return bytes(rng.getrandbits(8) for _ in range(size))
        if k == 'none':
            return None
        if k == 'list':
            of = t['of']
            if of['k'] == 'int':
                hi = 4 * max(n, 1) + 10
                r = rng.random
                return [int(r() * hi) for _ in range(size)]
            return [gen(of, n, rng, False) for _ in range(size)]
        if k == 'vtuple':
            return tuple(gen(t['of'], n, rng, False) for _ in range(size))
        if k == 'tuple':
            return tuple(gen(x, n, rng, top) for x in t['items'])
        if k in ('set', 'frozenset'):
            s = set()
            tries = 0
            while len(s) < size and tries < 10 * size + 10:
                s.add(gen(t['of'], n, rng, False))
                tries += 1
            return s if k == 'set' else frozenset(s)
        if k in ('dict', 'map'):
            out = {}
            tries = 0
            while len(out) < size and tries < 10 * size + 10:
                out[gen(t['key'], n, rng, False)] = gen(t['value'], n, rng, False)
                tries += 1
            return out
        raise TypeError('unknown type ' + k)

    def identity(v):
        return v

    def cloner(t):
        k = t['k']
        if k in ATOMIC_KINDS or k == 'frozenset':
            return identity
        if k == 'vtuple':
            return identity if t['of']['k'] in ATOMIC_KINDS else copy.deepcopy
        if k == 'list':
            inner = cloner(t['of'])
            if inner is identity:
                return list.copy
            return lambda v: [inner(x) for x in v]
        if k == 'set':
            return set.copy
        if k in ('dict', 'map'):
            inner = cloner(t['value'])
            if inner is identity:
                return dict.copy
            return lambda v: {a: inner(b) for a, b in v.items()}
        if k == 'tuple':
            cs = [cloner(x) for x in t['items']]
            if all(c is identity for c in cs):
                return identity
            return lambda v: tuple(c(x) for c, x in zip(cs, v))
        return copy.deepcopy

    if generator is None:
        types_ = inp['types']
        arg_cloners = [cloner(t) for t in types_]
        def clone_args(args):
            return tuple(c(a) for c, a in zip(arg_cloners, args))
    else:
        def clone_args(args):
            return copy.deepcopy(args)

    cache = {}
    def make_args(n, seed):
        key = (n, seed)
        if key in cache:
            return cache[key]
        rng = random.Random(seed * 1000003 + n)
        if generator is None:
            args = tuple(gen(t, n, rng, True) for t in types_)
        else:
            v = generator(n, rng)
            args = v if isinstance(v, tuple) else (v,)
        cache.clear()
        cache[key] = args
        return args

    def short(v, limit=300):
        try:
            s = repr(v)
        except BaseException as e:
            s = '<unrepresentable %s>' % type(e).__name__
        return s if len(s) <= limit else s[:limit] + '... (%d chars)' % len(s)

    def tname(t):
        # Classes of the two versions are different objects even when they are the same code:
        # compare them by name (qualified by module outside the targets).
        m = getattr(t, '__module__', '') or ''
        q = getattr(t, '__qualname__', t.__name__)
        return q if m.startswith('__hotpath_target_') else m + '.' + q

    def same(x, y):
        tx, ty = type(x), type(y)
        if tx is float or ty is float:
            if tx not in (int, float) or ty not in (int, float) or tx is not ty:
                return False
            return x == y or (x != x and y != y) or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
        if tx is not ty:
            if tname(tx) != tname(ty):
                return False
            if hasattr(x, '__dict__') and hasattr(y, '__dict__'):
                return same(vars(x), vars(y))
            slots = getattr(tx, '__slots__', None)
            if slots is not None:
                names = [slots] if isinstance(slots, str) else list(slots)
                return all(same(getattr(x, a, None), getattr(y, a, None)) for a in names)
            return repr(x) == repr(y)
        if tx in (list, tuple):
            return len(x) == len(y) and all(same(a, b) for a, b in zip(x, y))
        if tx is dict:
            return x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
        try:
            if tx.__eq__ is object.__eq__ and hasattr(x, '__dict__'):
                return same(vars(x), vars(y))
            return bool(x == y)
        except BaseException:
            return repr(x) == repr(y)

    send({'ev': 'ready'})
    perf = time.perf_counter_ns
    seed0 = spec.get('seed', 1)
    markers = [0]
    def marker():
        os.sched_yield()
        markers[0] += 1

    def call_error(e, i, n, args):
        send({'ev': 'error', 'where': 'call', 'target': i, 'n': n, 'type': type(e).__name__, 'message': str(e)[:2000], 'traceback': tb(e), 'input': short(args)})

    for line in rfile:
        cmd = json.loads(line)
        op = cmd['op']
        if op == 'exit':
            break
        if op == 'measure':
            i, n = cmd['target'], cmd['n']
            fn = fns[i]
            try:
                args = make_args(n, seed0)
            except BaseException as e:
                send({'ev': 'error', 'where': 'generate', 'target': i, 'n': n, 'type': type(e).__name__, 'message': str(e)[:2000], 'traceback': tb(e)})
                continue
            send({'ev': 'generated'})
            a = clone_args(args)
            try:
                t0 = perf(); fn(*a); t1 = perf()
            except BaseException as e:
                call_error(e, i, n, args)
                continue
            try:
                mutates = not same(a, args)
            except BaseException:
                mutates = True
            per = max((t1 - t0) / 1e9, 1e-9)
            send({'ev': 'probe', 't': per, 'mutates': mutates})
            batch = max(1, min(int(cmd['batchTime'] / per), 100000))
            if mutates:
                batch = min(batch, max(1, cmd['maxCopyElems'] // max(n, 1)))
            clock = time.process_time_ns if cmd.get('clock') == 'cpu' else perf
            def run_batch():
                if mutates:
                    clones = [clone_args(args) for _ in range(batch)]
                    enabled = gc.isenabled(); gc.disable()
                    t0 = clock()
                    for c in clones:
                        fn(*c)
                    t1 = clock()
                    if enabled: gc.enable()
                else:
                    enabled = gc.isenabled(); gc.disable()
                    t0 = clock()
                    for _ in range(batch):
                        fn(*args)
                    t1 = clock()
                    if enabled: gc.enable()
                return (t1 - t0) / 1e9 / batch
            try:
                warm_start = time.monotonic()
                for _ in range(cmd['warmup']):
                    run_batch()
                while time.monotonic() - warm_start < cmd.get('warmupTime', 0):
                    run_batch()
                samples = []
                start = time.monotonic()
                def unstable():
                    # Keep sampling (up to 3x the size's time share) while the 95% CI of the
                    # median is wider than +-3%: a stable estimate, not a fixed count.
                    k = len(samples)
                    if k < 10 or time.monotonic() - start > 3 * cmd['pointTime']:
                        return False
                    srt = sorted(samples)
                    half = 0.98 * math.sqrt(k)
                    lo = max(0, int(math.floor(k / 2 - half)))
                    hi = min(k - 1, int(math.ceil(k / 2 + half)) - 1)
                    med = srt[k // 2] if k % 2 else (srt[k // 2 - 1] + srt[k // 2]) / 2
                    return med > 0 and (srt[hi] - srt[lo]) / 2 / med > 0.03
                while len(samples) < cmd['maxSamples'] and (len(samples) < cmd['minSamples'] or time.monotonic() - start < cmd['pointTime'] or unstable()):
                    s = run_batch()
                    samples.append(s)
                    send({'ev': 'sample', 't': s})
            except BaseException as e:
                call_error(e, i, n, args)
                continue
            send({'ev': 'done', 'samples': samples, 'batch': batch})
        elif op == 'instr':
            i, n = cmd['target'], cmd['n']
            fn = fns[i]
            try:
                args = make_args(n, seed0)
                fn(*clone_args(args))  # warm-up: first-call caches and imports are not counted
                a = clone_args(args)
                b = clone_args(())
            except BaseException as e:
                call_error(e, i, n, args if 'args' in dir() else None)
                continue
            marker(); first = markers[0]
            try:
                fn(*a)
            except BaseException as e:
                call_error(e, i, n, args)
                continue
            marker()
            # The same markers around nothing: their own cost, subtracted by the server.
            marker(); noop_first = markers[0]
            marker()
            send({'ev': 'done', 'callDump': first + 1, 'noopDump': noop_first + 1})
        elif op == 'check':
            n, seed = cmd['n'], cmd['seed']
            ia, ib = cmd['targets']
            try:
                args = make_args(n, seed)
            except BaseException as e:
                send({'ev': 'error', 'where': 'generate', 'target': ia, 'n': n, 'type': type(e).__name__, 'message': str(e)[:2000], 'traceback': tb(e)})
                continue
            a1, a2 = clone_args(args), clone_args(args)
            def run(fn, a):
                try:
                    return (True, fn(*a))
                except BaseException as e:
                    return (False, e)
            ok1, r1 = run(fns[ia], a1)
            ok2, r2 = run(fns[ib], a2)
            diff = None
            if ok1 != ok2 or (not ok1 and tname(type(r1)) != tname(type(r2))):
                diff = ('exception', ('raises %s: %s' % (type(r1).__name__, str(r1)[:200])) if not ok1 else 'returns ' + short(r1),
                        ('raises %s: %s' % (type(r2).__name__, str(r2)[:200])) if not ok2 else 'returns ' + short(r2))
            elif ok1 and not same(r1, r2):
                diff = ('return value', short(r1), short(r2))
            else:
                for j, (x, y) in enumerate(zip(a1, a2)):
                    if not same(x, y):
                        diff = ('argument %d after the call' % j, short(x), short(y))
                        break
            if diff:
                send({'ev': 'equiv', 'equal': False, 'what': diff[0], 'expected': diff[1], 'actual': diff[2], 'input': short(args)})
            else:
                send({'ev': 'equiv', 'equal': True})
    try:
        chan.close()
    except Exception:
        pass

main()
sys.stdout.flush()
os._exit(0)
`;
