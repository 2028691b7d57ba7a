# Pairs i < j with xs[i] + xs[j] == 4n + 8 (PIE: nested loops → one pass counting complements).
# === slow ===
def count_pairs(xs: list[int]) -> int:
    target = 4 * len(xs) + 8
    n = 0
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i] + xs[j] == target:
                n += 1
    return n
# === fast ===
def count_pairs(xs: list[int]) -> int:
    target = 4 * len(xs) + 8
    seen = {}
    n = 0
    for x in xs:
        n += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return n
# === wrong large-only: counts pairs among the first 2000 elements only ===
def count_pairs(xs: list[int]) -> int:
    target = 4 * len(xs) + 8
    seen = {}
    n = 0
    for x in xs[:2000]:
        n += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return n
