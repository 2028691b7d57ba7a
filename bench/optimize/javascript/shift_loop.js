// Alternating sum, consuming a copy from the front (PIE: Array.shift in a loop → an index).
// === slow ===
/** @param {number[]} xs @returns {number} */
function alternateSum(xs) {
  const work = xs.slice();
  let total = 0;
  let sign = 1;
  while (work.length) {
    total += sign * work.shift();
    sign = -sign;
  }
  return total;
}
// === fast ===
/** @param {number[]} xs @returns {number} */
function alternateSum(xs) {
  let total = 0;
  let sign = 1;
  for (const x of xs) {
    total += sign * x;
    sign = -sign;
  }
  return total;
}
