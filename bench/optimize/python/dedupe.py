# Keep the first occurrence of each element, in order (PIE: list membership → set).
# === slow ===
def dedupe(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out
# === fast ===
def dedupe(xs: list[int]) -> list[int]:
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
# === wrong mutated-argument: dedupes the caller's list in place ===
def dedupe(xs: list[int]) -> list[int]:
    xs[:] = list(dict.fromkeys(xs))
    return xs[:]
# === wrong order: a set loses the order ===
def dedupe(xs: list[int]) -> list[int]:
    return list(set(xs))
