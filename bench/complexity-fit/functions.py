# Python functions of known complexity for bench/complexity-fit.bench.ts. Each is measured at
# growing sizes by Hotpath's execution engine and the fitted class is compared with the expected one.
import heapq


def first(xs: list[int]):
    return xs[0] if xs else None


def length(xs: list[int]) -> int:
    return len(xs)


def halvings(n: int) -> int:
    count = 0
    while n > 0:
        n //= 2
        count += 1
    return count


def pow_mod(n: int) -> int:
    result, base, e = 1, 3, n
    while e > 0:
        if e & 1:
            result = result * base % 1_000_000_007
        base = base * base % 1_000_000_007
        e >>= 1
    return result


def total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s


def count_evens(xs: list[int]) -> int:
    return sum(1 for x in xs if x % 2 == 0)


def reverse_words(s: str) -> str:
    return ''.join(reversed(s))


def running_max(xs: list[int]) -> list[int]:
    out, best = [], None
    for x in xs:
        best = x if best is None or x > best else best
        out.append(best)
    return out


def sort_copy(xs: list[int]) -> list[int]:
    return sorted(xs)


def merge_sort(xs: list[int]) -> list[int]:
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    a, b = merge_sort(xs[:mid]), merge_sort(xs[mid:])
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    out.extend(a[i:]); out.extend(b[j:])
    return out


def heap_sort(xs: list[int]) -> list[int]:
    h = []
    for x in xs:
        heapq.heappush(h, x)
    return [heapq.heappop(h) for _ in range(len(h))]


def count_pairs(xs: list[int]) -> int:
    c = 0
    for a in xs:
        for b in xs:
            if a < b:
                c += 1
    return c


def bubble_sort(xs: list[int]) -> list[int]:
    xs = list(xs)
    for i in range(len(xs)):
        for j in range(len(xs) - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
    return xs


def drain_front(xs: list[int]) -> int:
    # A queue drained from the front: each pop(0) moves the rest of the list (memmove), a cost per
    # element ~30 ns at small sizes and growing with n: linear below n≈256, n^1.95 at n≈64k.
    q = list(xs)
    total = 0
    while q:
        total += q.pop(0)
    return total


def dedupe_list(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def count_triples(n: int) -> int:
    c = 0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                c += 1
    return c


def make_matrices(n, rng):
    a = [[rng.random() for _ in range(n)] for _ in range(n)]
    b = [[rng.random() for _ in range(n)] for _ in range(n)]
    return (a, b)


# hotpath: bench-input make_matrices
def matmul(a, b):
    n = len(a)
    return [[sum(a[i][k] * b[k][j] for k in range(n)) for j in range(n)] for i in range(n)]


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def subset_sums(xs: list[int]) -> int:
    def go(i, s):
        if i == len(xs):
            return 1
        return go(i + 1, s) + go(i + 1, s + xs[i])
    return go(0, 0)
