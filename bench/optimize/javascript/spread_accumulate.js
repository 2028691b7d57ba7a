// Running list of squares built by spreading the accumulator (PIE: [...acc, x] in reduce → push).
// === slow ===
/** @param {number[]} xs @returns {number[]} */
function squares(xs) {
  return xs.reduce((acc, x) => [...acc, x * x], []);
}
// === fast ===
/** @param {number[]} xs @returns {number[]} */
function squares(xs) {
  const out = [];
  for (const x of xs) out.push(x * x);
  return out;
}
