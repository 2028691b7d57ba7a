# How many elements of xs occur in ys (PIE: list membership → a set).
# === slow ===
def count_in_both(xs: list[int], ys: list[int]) -> int:
    n = 0
    for x in xs:
        if x in ys:
            n += 1
    return n
# === fast ===
def count_in_both(xs: list[int], ys: list[int]) -> int:
    seen = set(ys)
    n = 0
    for x in xs:
        if x in seen:
            n += 1
    return n
