// Length of the longest run of consecutive integers present (PIE: includes per step → a Set).
// === slow ===
/** @param {number[]} xs @returns {number} */
function longestRun(xs) {
  let best = 0;
  for (const x of xs) {
    let n = 1;
    while (xs.includes(x + n)) n++;
    best = Math.max(best, n);
  }
  return best;
}
// === fast ===
/** @param {number[]} xs @returns {number} */
function longestRun(xs) {
  const s = new Set(xs);
  let best = 0;
  for (const x of s) {
    if (s.has(x - 1)) continue;
    let n = 1;
    while (s.has(x + n)) n++;
    best = Math.max(best, n);
  }
  return best;
}
