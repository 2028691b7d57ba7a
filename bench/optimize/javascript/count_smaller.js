// For each element, how many elements are smaller (PIE: nested count → sort and binary search).
// === slow ===
/** @param {number[]} xs @returns {number[]} */
function countSmaller(xs) {
  return xs.map((x) => xs.filter((y) => y < x).length);
}
// === fast ===
/** @param {number[]} xs @returns {number[]} */
function countSmaller(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return xs.map((x) => {
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}
