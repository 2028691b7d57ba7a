# Drain a list from the front, summing every other element (PIE: list.pop(0) → index walk).
# === slow ===
def alternate_sum(xs: list[int]) -> int:
    work = list(xs)
    total = 0
    sign = 1
    while work:
        total += sign * work.pop(0)
        sign = -sign
    return total
# === fast ===
def alternate_sum(xs: list[int]) -> int:
    total = 0
    sign = 1
    for x in xs:
        total += sign * x
        sign = -sign
    return total
