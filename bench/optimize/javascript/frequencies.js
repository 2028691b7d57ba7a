// Occurrences of each element (filter().length per element → one pass with a Map).
// === slow ===
/** @param {number[]} xs @returns {Record<string, number>} */
function frequencies(xs) {
  const out = {};
  for (const x of xs) out[x] = xs.filter((y) => y === x).length;
  return out;
}
// === fast ===
/** @param {number[]} xs @returns {Record<string, number>} */
function frequencies(xs) {
  const out = {};
  for (const x of xs) out[x] = (out[x] || 0) + 1;
  return out;
}
// === wrong large-only: counts only the first 3000 elements ===
/** @param {number[]} xs @returns {Record<string, number>} */
function frequencies(xs) {
  const out = {};
  const m = Math.min(xs.length, 3000);
  for (let i = 0; i < m; i++) out[xs[i]] = (out[xs[i]] || 0) + 1;
  for (let i = m; i < xs.length; i++) if (!(xs[i] in out)) out[xs[i]] = 1;
  return out;
}
