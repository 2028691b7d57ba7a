# Number of contiguous slices whose sum is zero (PIE: all slices → prefix sums in a dict).
# === slow ===
def zero_sum_slices(xs: list[int]) -> int:
    n = 0
    for i in range(len(xs)):
        s = 0
        for j in range(i, len(xs)):
            s += xs[j]
            if s == 0:
                n += 1
    return n
# === fast ===
def zero_sum_slices(xs: list[int]) -> int:
    seen = {0: 1}
    s = 0
    n = 0
    for x in xs:
        s += x
        n += seen.get(s, 0)
        seen[s] = seen.get(s, 0) + 1
    return n
