# Pairs of words that are anagrams of each other (PIE: compare every pair → count by sorted key).
# === slow ===
def anagram_pairs(words: list[str]) -> int:
    n = 0
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            if sorted(words[i]) == sorted(words[j]):
                n += 1
    return n
# === fast ===
def anagram_pairs(words: list[str]) -> int:
    counts = {}
    for w in words:
        key = "".join(sorted(w))
        counts[key] = counts.get(key, 0) + 1
    return sum(k * (k - 1) // 2 for k in counts.values())
