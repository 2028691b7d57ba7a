# The second largest distinct value, or -1 (PIE: sort per query → one pass).
# === slow ===
def second_largest(xs: list[int]) -> int:
    distinct = []
    for x in xs:
        if x not in distinct:
            distinct.append(x)
    distinct.sort()
    return distinct[-2] if len(distinct) >= 2 else -1
# === fast ===
def second_largest(xs: list[int]) -> int:
    distinct = sorted(set(xs))
    return distinct[-2] if len(distinct) >= 2 else -1
