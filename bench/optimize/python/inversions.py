# Count pairs i < j with xs[i] > xs[j] (PIE: O(n²) pairs → merge sort, O(n log n)).
# === slow ===
def inversions(xs: list[int]) -> int:
    n = 0
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i] > xs[j]:
                n += 1
    return n
# === fast ===
def inversions(xs: list[int]) -> int:
    def sort(a):
        if len(a) <= 1:
            return a, 0
        mid = len(a) // 2
        left, x = sort(a[:mid])
        right, y = sort(a[mid:])
        merged, i, j, c = [], 0, 0, x + y
        while i < len(left) and j < len(right):
            if left[i] <= right[j]:
                merged.append(left[i])
                i += 1
            else:
                merged.append(right[j])
                c += len(left) - i
                j += 1
        merged.extend(left[i:])
        merged.extend(right[j:])
        return merged, c
    return sort(list(xs))[1]
# === same: equivalent, still quadratic (not faster: rejected) ===
def inversions(xs: list[int]) -> int:
    n = 0
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i] > xs[j]:
                n = n + 1
    return n
