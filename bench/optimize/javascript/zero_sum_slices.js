// Number of contiguous slices summing to zero (PIE: all slices → prefix sums in a Map).
// === slow ===
/** @param {number[]} xs @returns {number} */
function zeroSumSlices(xs) {
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    let s = 0;
    for (let j = i; j < xs.length; j++) {
      s += xs[j];
      if (s === 0) n++;
    }
  }
  return n;
}
// === fast ===
/** @param {number[]} xs @returns {number} */
function zeroSumSlices(xs) {
  const seen = new Map([[0, 1]]);
  let s = 0;
  let n = 0;
  for (const x of xs) {
    s += x;
    n += seen.get(s) ?? 0;
    seen.set(s, (seen.get(s) ?? 0) + 1);
  }
  return n;
}
