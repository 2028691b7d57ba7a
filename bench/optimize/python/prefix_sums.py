# Running totals (PIE: re-summing every prefix → itertools.accumulate).
from itertools import accumulate
# === slow ===
def prefix_sums(xs: list[int]) -> list[int]:
    return [sum(xs[: i + 1]) for i in range(len(xs))]
# === fast ===
def prefix_sums(xs: list[int]) -> list[int]:
    return list(accumulate(xs))
