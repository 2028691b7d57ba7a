# Occurrences of each word, most frequent first (PIE: list.count per word → a Counter).
# === slow ===
def word_counts(words: list[str]) -> list[tuple[str, int]]:
    out = []
    for w in sorted(set(words)):
        out.append((w, words.count(w)))
    out.sort(key=lambda p: -p[1])
    return out
# === fast ===
from collections import Counter


def word_counts(words: list[str]) -> list[tuple[str, int]]:
    c = Counter(words)
    out = sorted(c.items())
    out.sort(key=lambda p: -p[1])
    return out
