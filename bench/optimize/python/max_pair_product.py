# Largest product of two different positions (PIE: all pairs → the two largest and two smallest).
# === slow ===
def max_pair_product(xs: list[int]) -> int:
    best = None
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            p = xs[i] * xs[j]
            if best is None or p > best:
                best = p
    return best if best is not None else 0
# === fast ===
def max_pair_product(xs: list[int]) -> int:
    if len(xs) < 2:
        return 0
    s = sorted(xs)
    return max(s[0] * s[1], s[-1] * s[-2])
