// Largest product of two different positions (PIE: all pairs → sort once).
// === slow ===
/** @param {number[]} xs @returns {number} */
function maxPairProduct(xs) {
  let best = null;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const p = xs[i] * xs[j];
      if (best === null || p > best) best = p;
    }
  }
  return best === null ? 0 : best;
}
// === fast ===
/** @param {number[]} xs @returns {number} */
function maxPairProduct(xs) {
  if (xs.length < 2) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.max(s[0] * s[1], s[s.length - 1] * s[s.length - 2]);
}
