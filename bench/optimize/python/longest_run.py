# Length of the longest run of consecutive integers present in the list (PIE: sort per start → a set walk).
# === slow ===
def longest_run(xs: list[int]) -> int:
    best = 0
    for x in xs:
        n = 1
        while (x + n) in xs:
            n += 1
        best = max(best, n)
    return best
# === fast ===
def longest_run(xs: list[int]) -> int:
    s = set(xs)
    best = 0
    for x in s:
        if x - 1 in s:
            continue
        n = 1
        while x + n in s:
            n += 1
        best = max(best, n)
    return best
