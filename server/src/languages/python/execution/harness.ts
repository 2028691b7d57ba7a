// The Python side of the harness: written to the run's temporary folder and started as
// `python3 -u hotpath_harness.py spec.json` (inside the sandbox, see execution/isolation/). One
// process runs one function (the baseline and a candidate never share a process). It loads the
// input generator's module (if any) and the function's module as modules of their own, generates
// inputs, and answers commands from the server over fd 3 (a socket pair); the user's
// stdout/stderr stay theirs and are only counted and capped by the parent.
//
// Measurement integrity (docs/execution.md, "Measurements that cannot be gamed"):
// - the clocks and every helper the harness relies on are captured before user code is loaded:
//   replacing time.perf_counter afterwards does not reach them, and the replacement is reported;
// - every call gets an input of its own (a perturbed copy of the size's input, or a fresh call of
//   the generator): results memoised across calls never hit;
// - `run` reports the module's state (globals, function defaults, attributes, closures, caches)
//   that a call changed, and whether a second call on the same input gives the same result;
// - `measure` reports the CPU and wall time of the whole command by the captured clocks, which the
//   server checks against the kernel's accounting of this process.
export const PYTHON_HARNESS = String.raw`
import sys, os, json, time, gc, random, math, copy, socket, traceback, types, hashlib, builtins

HARNESS_PID = os.getpid()
CLOCK_NAMES = ('perf_counter', 'perf_counter_ns', 'process_time', 'process_time_ns', 'monotonic', 'monotonic_ns', 'time', 'time_ns', 'thread_time', 'thread_time_ns')
CLOCKS = {n: getattr(time, n) for n in CLOCK_NAMES if hasattr(time, n)}
BUILTINS = dict(vars(builtins))
perf = time.perf_counter_ns
cpu = time.process_time_ns
mono = time.monotonic
ALPHA = 'abcdefghijklmnopqrstuvwxyz'
ATOMIC_KINDS = ('int', 'float', 'str', 'bool', 'bytes', 'none')
# Sequences that perturb() copies by rotating them (of atomic elements, no deeper copy needed).
ROTATED_KINDS = ('list', 'vtuple')
TARGET_PREFIX = '__hotpath_'

class LiteRandom:
    # A small seeded generator (64-bit LCG) for the per-call inputs: seeding random.Random costs
    # ~10 us, more than many calls; the size's own input and generators keep random.Random.
    __slots__ = ('s',)
    def __init__(self, seed):
        self.s = (seed * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    def random(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.s >> 11) / 9007199254740992.0
    def randrange(self, n):
        return int(self.random() * n)
    def getrandbits(self, k):
        return int(self.random() * (1 << k))
    def choices(self, population, k=1):
        return [population[int(self.random() * len(population))] for _ in range(k)]

def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    chan = socket.socket(fileno=3)
    rfile = chan.makefile('rb')
    dumps = json.dumps
    loads = json.loads

    def send(obj):
        if os.getpid() != HARNESS_PID:
            os._exit(0)
        chan.sendall((dumps(obj) + '\n').encode())

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

    def load(t, modname):
        fname = t.get('file') or '<source>'
        d = os.path.dirname(os.path.abspath(t['file'])) if t.get('file') else os.getcwd()
        # A file inside a package (folders with __init__.py): the folder above the package goes on
        # the path and the module gets the package's name as __package__, so that its relative
        # imports (from .util import x) resolve as they do when the package imports it.
        package = []
        root = d
        while t.get('file') and os.path.isfile(os.path.join(root, '__init__.py')):
            package.insert(0, os.path.basename(root))
            root = os.path.dirname(root)
        if root not in sys.path:
            sys.path.insert(0, root)
        mod = types.ModuleType(modname)
        mod.__file__ = fname
        if package:
            mod.__package__ = '.'.join(package)
        sys.modules[modname] = mod
        try:
            exec(compile(t['code'], fname, 'exec'), mod.__dict__)
        except BaseException as e:
            # Defining the function a second time next to its package failed (a registry of
            # decorated functions refuses the name twice): when importing the package already
            # loaded the real module (nothing of it runs now that did not run then), use its function.
            stem = os.path.splitext(os.path.basename(fname))[0]
            real = sys.modules.get('.'.join(package + ([] if stem == '__init__' else [stem]))) if package else None
            if real is not None and callable(getattr(real, t['name'], None)):
                return real, getattr(real, t['name'])
            if real is not None:
                # A function the package does not have (an input generator appended to the module):
                # defined alone in a copy of the real module's namespace.
                try:
                    import ast
                    defs = [n for n in ast.parse(t['code'], fname).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == t['name']]
                    if defs:
                        ns = dict(real.__dict__)
                        exec(compile(ast.Module(body=defs, type_ignores=[]), fname, 'exec'), ns)
                        return real, ns[t['name']]
                except Exception:
                    pass
            send({'ev': 'error', 'where': 'load', 'type': type(e).__name__, 'message': str(e), 'traceback': tb(e)})
            return None
        fn = mod.__dict__.get(t['name'])
        if not callable(fn):
            send({'ev': 'error', 'where': 'load', 'type': 'NameError', 'message': '%s is not a function' % t['name'], 'traceback': ''})
            return None
        return mod, fn

    inp = spec['input']
    generator = None
    if inp['kind'] == 'generator':
        loaded = load(inp['module'], '__hotpath_input__')
        if loaded is None:
            return
        generator = loaded[1]
    loaded = load(spec['target'], '__hotpath_target__')
    if loaded is None:
        return
    target_module, fn = loaded
    keywords = tuple(inp.get('keywords') or ())
    if keywords:
        # Keyword-only parameters: the last arguments are passed by name.
        fn = (lambda f, names: lambda *a: f(*a[:len(a) - len(names)], **dict(zip(names, a[len(a) - len(names):]))))(fn, keywords)
    t = spec['target']
    if t.get('isAsync'):
        import asyncio
        fn = (lambda f: lambda *a: asyncio.run(f(*a)))(fn)
    elif t.get('isGenerator'):
        fn = (lambda f: lambda *a: list(f(*a)))(fn)
    # The functools caches (lru_cache, cache) of the module's functions and of its classes' methods:
    # emptied before every call. A memo that lives within one call is the algorithm (HP302's own fix,
    # @functools.cache on a recursion); one that carried results to the next call would make the
    # measured calls (which may share one input) cheaper than a call is, and would hide from the
    # state check (a class's cached method is callable). So every call starts cold, and a cache's
    # size is no state a call leaves behind.
    caches = []
    for v in list(target_module.__dict__.values()):
        if isinstance(v, type):
            caches.extend(x for x in vars(v).values() if hasattr(x, 'cache_clear') and hasattr(x, 'cache_info'))
        elif hasattr(v, 'cache_clear') and hasattr(v, 'cache_info'):
            caches.append(v)
    if caches:
        def cold(f):
            def call(*a):
                for c in caches:
                    c.cache_clear()
                return f(*a)
            return call
        fn = cold(fn)

    def gen(t, n, rng, top):
        k = t['k']
        size = n if top else 8
        if k == 'int':
            if top and t.get('position'):
                return int(rng.random() * max(n, 1))
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
        if k == 'const':
            return t['value']
        if k == 'record':
            fields = {f['name']: gen(f['type'], n, rng, False) for f in t['fields']}
            return types.SimpleNamespace(**fields) if t.get('attrs') else fields
        if k == 'instance':
            cls = getattr(target_module, t['cls'])
            return cls(*[gen(a, n, rng, False) for a in t['args']], **{f['name']: gen(f['type'], n, rng, False) for f in t.get('fields') or []})
        if k == 'fn':
            # A callback: deterministic, the same value for every call (made once, from the input's seed).
            value = gen(t['returns'], n, rng, False)
            if t.get('async'):
                async def afn(*a, **kw):
                    return value
                return afn
            return lambda *a, **kw: value
        raise TypeError('unknown type ' + k)

    def identity(v):
        return v

    def cloner(t):
        k = t['k']
        if k in ATOMIC_KINDS or k in ('frozenset', 'const', 'fn'):
            return identity
        if k == 'record' and not t.get('attrs'):
            cs = [(f['name'], cloner(f['type'])) for f in t['fields']]
            return lambda v: {name: c(v[name]) for name, c in cs}
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

    def perturb(t, v, n, rng):
        # A copy of v that differs from it and from the copies before it: sequences are rotated by
        # a random offset (every position gets another value, the values stay the same multiset)
        # and three elements get new values; sets and dicts get one new element. Same size and
        # shape; a new value for a memo keyed on the content or on any part of it.
        k = t['k']
        if k in ('list', 'vtuple') and len(v) > 0:
            r = rng.randrange(len(v))
            out = v[r:] + v[:r]
            out = list(out) if k == 'vtuple' else out
            for i in (0, len(v) - 1, rng.randrange(len(v))):
                out[i] = gen(t['of'], n, rng, False)
            return tuple(out) if k == 'vtuple' else out
        if k == 'str' and len(v) > 0:
            r = rng.randrange(len(v))
            v = v[r:] + v[:r]
            i = rng.randrange(len(v))
            return v[:i] + ALPHA[rng.randrange(26)] + v[i + 1:]
        if k == 'bytes' and len(v) > 0:
            r = rng.randrange(len(v))
            v = v[r:] + v[:r]
            i = rng.randrange(len(v))
            return v[:i] + bytes([rng.getrandbits(8)]) + v[i + 1:]
        if k in ('set', 'frozenset') and len(v) > 0:
            s = set(v)
            s.discard(next(iter(s)))
            for _ in range(20):
                x = gen(t['of'], n, rng, False)
                if x not in s:
                    break
            s.add(x)
            return s if k == 'set' else frozenset(s)
        if k in ('dict', 'map') and len(v) > 0:
            key = next(iter(v))
            v[key] = gen(t['value'], n, rng, False)
            return v
        if k == 'tuple':
            return tuple(perturb(x, y, n, rng) for x, y in zip(t['items'], v))
        return v

    scalar_only = generator is None and all(t['k'] in ('int', 'float', 'bool', 'none') for t in inp['types'])
    if generator is None:
        types_ = inp['types']
        arg_cloners = [cloner(t) for t in types_]
        def clone_args(args):
            return tuple(c(a) for c, a in zip(arg_cloners, args))
    else:
        def clone_args(args):
            return copy.deepcopy(args)

    def call_generator(n, rng):
        v = generator(n, rng)
        return v if isinstance(v, tuple) else (v,)

    # One parameter grown alone (inp['grow']): the others are taken from the inputs made at the
    # fixed size 'at' (the same seed for every n), so the sweep measures the growth in that one.
    grow = inp.get('grow')
    def grown(big, small_of):
        if grow is None or len(big) <= 1:
            return big
        small = small_of(grow['at'])
        return tuple(a if j == grow['index'] else small[j] for j, a in enumerate(big))

    cache = {}
    def make_args(n, seed):
        key = (n, seed)
        if key in cache:
            return cache[key]
        def made(size):
            rng = random.Random(seed * 1000003 + size)
            if generator is None:
                return tuple(gen(t, size, rng, True) for t in types_)
            return call_generator(size, rng)
        args = grown(made(n), made)
        cache.clear()
        cache[key] = args
        return args

    def variant(args, n, seed, k):
        # The k-th input of its own at size n (k >= 1): never the same object, almost never the
        # same value as any other call's.
        if generator is not None:
            return grown(call_generator(n, random.Random((seed * 1000003 + n) * 7919 + k)), lambda size: call_generator(size, random.Random((seed * 1000003 + size) * 7919 + k)))
        rng = LiteRandom((seed * 1000003 + n) * 7919 + k)
        return tuple(perturb(t, a if t['k'] in ROTATED_KINDS and t['of']['k'] in ATOMIC_KINDS else c(a), n, rng) for t, c, a in zip(types_, arg_cloners, args))

    def short(v, limit=300):
        try:
            s = repr(v)
        except BaseException as e:
            s = '<unrepresentable %s>' % type(e).__name__
        return s if len(s) <= limit else s[:limit] + '... (%d chars)' % len(s)

    def tname(t):
        # Classes of the harness's own modules are named by their qualified name only: the same
        # class in the baseline's and the candidate's process.
        m = getattr(t, '__module__', '') or ''
        q = getattr(t, '__qualname__', getattr(t, '__name__', '?'))
        return q if m.startswith(TARGET_PREFIX) else m + '.' + q

    def enc(v, budget, seen, rounded=False):
        # A canonical, JSON-ready description of a value (docs/execution.md lists the forms);
        # the server compares two of them. budget[0] bounds the nodes written.
        budget[0] -= 1
        if budget[0] < 0:
            return ['…']
        t = type(v)
        if v is None:
            return ['N']
        if t is bool:
            return ['b', v]
        if t is int:
            return ['i', str(v)]
        if t is float:
            # Rounded for digests: two versions may sum floats in another order.
            return ['f', '%.9g' % v if rounded else repr(v)]
        if t is str:
            return ['s', v]
        if t in (bytes, bytearray):
            return ['B', t.__name__, v.hex()]
        if t is complex:
            return ['o', 'complex', [['f', repr(v.real)], ['f', repr(v.imag)]]]
        if id(v) in seen:
            return ['@', seen[id(v)]]
        seen[id(v)] = len(seen)
        if t in (list, tuple):
            return ['l' if t is list else 't', [enc(x, budget, seen, rounded) for x in v]]
        if t is dict:
            pairs = [[enc(a, budget, seen, rounded), enc(b, budget, seen, rounded)] for a, b in v.items()]
            pairs.sort(key=lambda p: dumps(p[0]))
            return ['d', pairs]
        if t in (set, frozenset):
            items = [enc(x, budget, seen, rounded) for x in v]
            items.sort(key=dumps)
            return ['S' if t is set else 'F', items]
        if isinstance(v, BaseException):
            return ['e', tname(t), [enc(a, budget, seen, rounded) for a in v.args]]
        if isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type, types.ModuleType)):
            return ['p', tname(t), getattr(v, '__qualname__', getattr(v, '__name__', '?'))]
        if isinstance(v, (list, tuple, dict, set, frozenset)):
            base = list if isinstance(v, list) else tuple if isinstance(v, tuple) else dict if isinstance(v, dict) else set
            return ['o', tname(t), enc(base(v), budget, seen, rounded), enc(getattr(v, '__dict__', {}), budget, seen, rounded)]
        state = getattr(v, '__dict__', None)
        if state is not None:
            return ['o', tname(t), enc(state, budget, seen, rounded)]
        slots = getattr(t, '__slots__', None)
        if slots is not None:
            names = [slots] if isinstance(slots, str) else list(slots)
            return ['o', tname(t), enc({a: getattr(v, a, None) for a in names}, budget, seen, rounded)]
        try:
            r = v.__reduce_ex__(4)
            if isinstance(r, tuple) and len(r) >= 2:
                return ['o', tname(t), enc(r[1:3], budget, seen, rounded)]
        except BaseException:
            pass
        return ['p', tname(t), short(v, 2000)]

    def encode(v):
        return enc(v, [200000], {})

    PLAIN = (int, str, bool, type(None))
    def result_digest(v):
        # Canonical like encode() with floats rounded to 9 digits, and a fast path for the common
        # flat list of ints and strings.
        if type(v) in (list, tuple) and all(type(x) in PLAIN for x in v):
            return type(v).__name__ + hashlib.sha256(repr(v).encode()).hexdigest()[:16]
        return hashlib.sha256(dumps(enc(v, [200000], {}, True)).encode()).hexdigest()[:16]

    def state():
        # What a call could change outside its arguments, one entry per name: the module's data,
        # its functions' defaults, attributes and closure cells, class attributes, and
        # names of the builtins module added or replaced.
        out = {}
        for name, v in list(target_module.__dict__.items()):
            if name.startswith('__') or isinstance(v, types.ModuleType):
                continue
            if isinstance(v, types.FunctionType) or hasattr(v, 'cache_info'):
                parts = {}
                # A functools cache is emptied before every call (above): its contents are not state.
                f = getattr(v, '__wrapped__', v) if hasattr(v, 'cache_info') else v
                if isinstance(f, types.FunctionType):
                    parts['defaults'] = f.__defaults__
                    parts['kwdefaults'] = f.__kwdefaults__
                    parts['attributes'] = dict(f.__dict__)
                    parts['closure'] = [c.cell_contents for c in (f.__closure__ or ()) if not callable(getattr(c, 'cell_contents', None))]
                out[name] = dumps(enc(parts, [50000], {}))
            elif isinstance(v, type):
                attrs = {a: x for a, x in vars(v).items() if not a.startswith('__') and not callable(x) and not isinstance(x, (staticmethod, classmethod, property))}
                out[name] = dumps(enc(attrs, [50000], {}))
            else:
                out[name] = dumps(enc(v, [50000], {}))
        for name, v in vars(builtins).items():
            if name == '_':
                continue
            if name not in BUILTINS or BUILTINS[name] is not v:
                out['builtins.' + name] = dumps(['p', 'replaced', short(v, 200)])
        return out

    def changed(before, after):
        out = {}
        for name in set(before) | set(after):
            if before.get(name) != after.get(name):
                out[name] = loads(after[name]) if name in after else ['p', 'deleted', '']
        return out

    def tampered():
        return ['time.' + n for n, f in CLOCKS.items() if getattr(time, n, None) is not f]

    send({'ev': 'ready', 'pid': os.getpid()})
    seed0 = spec.get('seed', 1)
    markers = [0]
    def marker():
        os.sched_yield()
        markers[0] += 1

    def call_error(e, n, args):
        send({'ev': 'error', 'where': 'call', 'n': n, 'type': type(e).__name__, 'message': str(e)[:2000], 'traceback': tb(e), 'input': short(args)})

    def gen_error(e, n):
        send({'ev': 'error', 'where': 'generate', 'n': n, 'type': type(e).__name__, 'message': str(e)[:2000], 'traceback': tb(e)})

    for line in rfile:
        cmd = loads(line)
        op = cmd['op']
        if op == 'exit':
            break
        if op == 'measure':
            n = cmd['n']
            cpu0, wall0 = cpu(), perf()
            calls = [0]
            shared = [False]
            try:
                args = make_args(n, seed0)
                # The input's digest, compared across versions in a compare (each argument the
                # cheap way when it is a flat list).
                d = '|'.join(result_digest(x) for x in args) if cmd.get('freshInputs') == 'call' else ''
                # What making one input costs: the least of three (the first is cold).
                prep = None
                for k in (3, 2, 1):
                    p0 = perf()
                    a = variant(args, n, seed0, k)
                    took = max((perf() - p0) / 1e9, 1e-9)
                    prep = took if prep is None else min(prep, took)
                pristine = clone_args(a)
            except BaseException as e:
                gen_error(e, n)
                continue
            send({'ev': 'generated', 'input': d})
            try:
                t0 = perf(); r = fn(*a); t1 = perf()
                checks = {'1:1': result_digest(r)}
            except BaseException as e:
                call_error(e, n, a)
                continue
            calls[0] = 1
            per = max((t1 - t0) / 1e9, 1e-9)
            try:
                mutates = bool(a != pristine)
            except BaseException:
                mutates = True
            send({'ev': 'probe', 't': per, 'mutates': mutates})
            # Calls per sample: about batchTime of calls. Every call gets an input of its own
            # (variant k for call k), made in about batchTime, at most maxCopyElems input elements
            # held at once -- unless the function does not mutate its input and a call costs less
            # than making one: then the calls of a sample share one fresh input (timing a lone
            # call would measure the clock, and a memo saves less than a call costs).
            # (A plain benchmark asks for one fresh input per sample: freshInputs == 'sample'.)
            elements = 1 if scalar_only else max(n, 1)
            def calibrate(per):
                b = max(1, min(int(cmd['batchTime'] / per), 100000))
                shared[0] = not mutates and (per < prep or cmd.get('freshInputs') == 'sample')
                return b if shared[0] else max(1, min(b, int(cmd['batchTime'] / prep), cmd['maxCopyElems'] // elements))
            batch = calibrate(per)
            clock = cpu if cmd.get('clock') == 'cpu' else perf
            def run_batch(keep):
                k0 = calls[0] + 1
                if shared[0]:
                    one = variant(args, n, seed0, k0)
                    inputs = [one] * batch
                    # Making the copy evicted the interpreter's own data from the caches: one
                    # untimed call brings it back (the timed calls share this input anyway).
                    fn(*one)
                else:
                    inputs = [variant(args, n, seed0, k) for k in range(k0, k0 + batch)]
                calls[0] += batch
                enabled = gc.isenabled(); gc.disable()
                t0 = clock()
                if keep:
                    results = [fn(*c) for c in inputs]
                else:
                    # Timed samples drop every result at once (kept results would change what
                    # allocating one costs).
                    for c in inputs:
                        fn(*c)
                t1 = clock()
                if enabled: gc.enable()
                # Warm-up batches keep their results: those of calls 1, 2, 4, 8, ... go to the
                # server with the input they got ("call:variant"), which compares them with the
                # other version's on the same input.
                if keep:
                    for j in range(len(results)):
                        k = k0 + j
                        if k & (k - 1) == 0:
                            checks['%d:%d' % (k, k0 if shared[0] else k)] = result_digest(results[j])
                return (t1 - t0) / 1e9 / batch
            try:
                warm_start = mono()
                for _ in range(cmd['warmup']):
                    # The probe is one cold call: a warm batch tells the cost of a call better.
                    batch = calibrate(min(per, max(run_batch(True), 1e-9)))
                while mono() - warm_start < cmd.get('warmupTime', 0):
                    run_batch(True)
                samples = []
                start = mono()
                def unstable():
                    # Keep sampling (up to 3x the size's time share) while the 95% CI of the
                    # median is wider than +-3%: a stable estimate, not a fixed count.
                    k = len(samples)
                    if k < 10 or mono() - start > 3 * cmd['pointTime']:
                        return False
                    srt = sorted(samples)
                    half = 0.98 * math.sqrt(k)
                    lo = max(0, int(math.floor(k / 2 - half)))
                    hi = min(k - 1, int(math.ceil(k / 2 + half)) - 1)
                    med = srt[k // 2] if k % 2 else (srt[k // 2 - 1] + srt[k // 2]) / 2
                    return med > 0 and (srt[hi] - srt[lo]) / 2 / med > 0.03
                while len(samples) < cmd['maxSamples'] and (len(samples) < cmd['minSamples'] or mono() - start < cmd['pointTime'] or unstable()):
                    s = run_batch(False)
                    samples.append(s)
                    send({'ev': 'sample', 't': s})
                    if cmd.get('lockstep'):
                        # A compare takes the two versions' samples in turn: wait for ours (the wait is not our time).
                        paused = mono()
                        nxt = rfile.readline()
                        if not nxt or loads(nxt).get('op') != 'next':
                            break
                        start += mono() - paused
            except BaseException as e:
                call_error(e, n, args)
                continue
            send({'ev': 'done', 'samples': samples, 'batch': batch, 'prep': prep, 'cpu': (cpu() - cpu0) / 1e9, 'wall': (perf() - wall0) / 1e9, 'checks': checks, 'tampered': tampered()})
        elif op == 'instr':
            n = cmd['n']
            try:
                args = make_args(n, seed0)
                fn(*variant(args, n, seed0, 1))  # warm-up: first-call caches and imports are not counted
                a = variant(args, n, seed0, 2)
            except BaseException as e:
                call_error(e, n, None)
                continue
            marker(); first = markers[0]
            try:
                fn(*a)
            except BaseException as e:
                call_error(e, n, args)
                continue
            marker()
            # The same markers around nothing: their own cost, subtracted by the server.
            marker(); noop_first = markers[0]
            marker()
            send({'ev': 'done', 'callDump': first + 1, 'noopDump': noop_first + 1, 'tampered': tampered()})
        elif op == 'run':
            # One input of the equivalence check: the result, the arguments after the call, the
            # state the call changed, and whether a second call on the same input agrees.
            n, seed = cmd['n'], cmd['seed']
            try:
                args = make_args(n, seed)
                d = '|'.join(result_digest(x) for x in args)
            except BaseException as e:
                gen_error(e, n)
                continue
            def outcome():
                a = clone_args(args)
                try:
                    r = ['r', encode(fn(*a))]
                except BaseException as e:
                    r = ['x', tname(type(e)), str(e)[:200]]
                return r, encode(list(a))
            try:
                before = state()
                r1, a1 = outcome()
                after = state()
                r2, a2 = outcome()
                send({'ev': 'ran', 'input': d, 'inputRepr': short(args), 'result': r1, 'args': a1, 'changed': changed(before, after),
                      'deterministic': dumps([r1, a1]) == dumps([r2, a2]), 'second': None if dumps([r1, a1]) == dumps([r2, a2]) else r2, 'tampered': tampered()})
            except BaseException as e:
                send({'ev': 'error', 'where': 'harness', 'n': n, 'type': type(e).__name__, 'message': str(e)[:2000], 'traceback': tb(e)})
    try:
        chan.close()
    except Exception:
        pass

main()
sys.stdout.flush()
os._exit(0)
`;
