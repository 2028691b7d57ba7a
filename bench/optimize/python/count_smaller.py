# For each element, how many elements are smaller (PIE: nested count → sort and bisect).
# === slow ===
def count_smaller(xs: list[int]) -> list[int]:
    return [sum(1 for y in xs if y < x) for x in xs]
# === fast ===
import bisect


def count_smaller(xs: list[int]) -> list[int]:
    s = sorted(xs)
    return [bisect.bisect_left(s, x) for x in xs]
