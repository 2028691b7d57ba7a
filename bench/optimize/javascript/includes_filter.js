// Elements of xs that also occur in ys (PIE: Array.includes in a filter → a Set).
// === slow ===
/** @param {number[]} xs @param {number[]} ys @returns {number[]} */
function intersect(xs, ys) {
  return xs.filter((x) => ys.includes(x));
}
// === fast ===
/** @param {number[]} xs @param {number[]} ys @returns {number[]} */
function intersect(xs, ys) {
  const s = new Set(ys);
  return xs.filter((x) => s.has(x));
}
