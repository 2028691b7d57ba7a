# How many elements of a are in b (PIE: `x in list` inside a loop → set).
# === slow ===
def count_common(a: list[int], b: list[int]) -> int:
    n = 0
    for x in a:
        if x in b:
            n += 1
    return n
# === fast ===
def count_common(a: list[int], b: list[int]) -> int:
    s = set(b)
    return sum(1 for x in a if x in s)
# === wrong off-by-one: skips the first element ===
def count_common(a: list[int], b: list[int]) -> int:
    s = set(b)
    return sum(1 for i in range(1, len(a)) if a[i] in s)
