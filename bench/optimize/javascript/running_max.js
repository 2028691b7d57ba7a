// Maximum of every prefix (Math.max over a slice per element → one running maximum).
// === slow ===
/** @param {number[]} xs @returns {number[]} */
function runningMax(xs) {
  return xs.map((_, i) => Math.max(...xs.slice(0, i + 1)));
}
// === fast ===
/** @param {number[]} xs @returns {number[]} */
function runningMax(xs) {
  const out = new Array(xs.length);
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] > m) m = xs[i];
    out[i] = m;
  }
  return out;
}
