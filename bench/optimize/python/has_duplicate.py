# Whether any value appears twice (PIE: pairwise comparison → a set).
# === slow ===
def has_duplicate(xs: list[int]) -> bool:
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i] == xs[j]:
                return True
    return False
# === fast ===
def has_duplicate(xs: list[int]) -> bool:
    return len(set(xs)) != len(xs)
