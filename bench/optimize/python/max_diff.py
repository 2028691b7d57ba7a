# Largest difference between two elements; raises ValueError on an empty list, like max() does.
# === slow ===
def max_diff(xs: list[int]) -> int:
    return max(a - b for a in xs for b in xs)
# === fast ===
def max_diff(xs: list[int]) -> int:
    return max(xs) - min(xs)
# === wrong swallowed-exception: returns 0 for an empty list instead of raising ===
def max_diff(xs: list[int]) -> int:
    if not xs:
        return 0
    return max(xs) - min(xs)
