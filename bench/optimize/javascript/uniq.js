// Distinct elements in first-seen order (PIE-style: indexOf in a filter → Set).
// === slow ===
/** @param {number[]} xs @returns {number[]} */
function uniq(xs) {
  return xs.filter((x, i) => xs.indexOf(x) === i);
}
// === fast ===
/** @param {number[]} xs @returns {number[]} */
function uniq(xs) {
  return [...new Set(xs)];
}
// === wrong mutated-argument: sorts the caller's array ===
/** @param {number[]} xs @returns {number[]} */
function uniq(xs) {
  const seen = new Set(xs);
  xs.sort((a, b) => a - b);
  return [...seen];
}
