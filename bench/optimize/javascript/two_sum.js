// Indices of the first pair summing to 8n + 30 (none in generated inputs: a full scan), or null;
// an empty input is an error (nested loops → Map of seen values).
// === slow ===
/** @param {number[]} xs @returns {number[] | null} */
function twoSum(xs) {
  if (xs.length === 0) throw new RangeError('empty input');
  const target = 8 * xs.length + 30;
  for (let j = 0; j < xs.length; j++) for (let i = 0; i < j; i++) if (xs[i] + xs[j] === target) return [i, j];
  return null;
}
// === fast ===
/** @param {number[]} xs @returns {number[] | null} */
function twoSum(xs) {
  if (xs.length === 0) throw new RangeError('empty input');
  const target = 8 * xs.length + 30;
  const first = new Map();
  for (let j = 0; j < xs.length; j++) {
    const i = first.get(target - xs[j]);
    if (i !== undefined) return [i, j];
    if (!first.has(xs[j])) first.set(xs[j], j);
  }
  return null;
}
// === wrong swallowed-exception: an empty input returns null instead of throwing ===
/** @param {number[]} xs @returns {number[] | null} */
function twoSum(xs) {
  try {
    if (xs.length === 0) throw new RangeError('empty input');
    const target = 8 * xs.length + 30;
    const first = new Map();
    for (let j = 0; j < xs.length; j++) {
      const i = first.get(target - xs[j]);
      if (i !== undefined) return [i, j];
      if (!first.has(xs[j])) first.set(xs[j], j);
    }
    return null;
  } catch {
    return null;
  }
}
