// Numbers joined with commas, rebuilding the string from an array each step (PIE: join in a loop → one join).
// === slow ===
/** @param {number[]} xs @returns {string} */
function joinNumbers(xs) {
  let parts = [];
  let out = '';
  for (const x of xs) {
    parts = parts.concat([String(x)]);
    out = parts.join(',');
  }
  return out;
}
// === fast ===
/** @param {number[]} xs @returns {string} */
function joinNumbers(xs) {
  return xs.map(String).join(',');
}
