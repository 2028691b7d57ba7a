// How many elements of a are in b (includes() in a loop → Set).
// === slow ===
/** @param {number[]} a @param {number[]} b @returns {number} */
function countCommon(a, b) {
  let n = 0;
  for (const x of a) if (b.includes(x)) n++;
  return n;
}
// === fast ===
/** @param {number[]} a @param {number[]} b @returns {number} */
function countCommon(a, b) {
  const s = new Set(b);
  let n = 0;
  for (const x of a) if (s.has(x)) n++;
  return n;
}
// === wrong off-by-one: stops one element early ===
/** @param {number[]} a @param {number[]} b @returns {number} */
function countCommon(a, b) {
  const s = new Set(b);
  let n = 0;
  for (let i = 0; i < a.length - 1; i++) if (s.has(a[i])) n++;
  return n;
}
