// Whether any value appears twice (PIE: pairwise comparison → a Set).
// === slow ===
/** @param {number[]} xs @returns {boolean} */
function hasDuplicate(xs) {
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      if (xs[i] === xs[j]) return true;
    }
  }
  return false;
}
// === fast ===
/** @param {number[]} xs @returns {boolean} */
function hasDuplicate(xs) {
  return new Set(xs).size !== xs.length;
}
