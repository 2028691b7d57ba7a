// Occurrences of each word, sorted by word (PIE: filter per distinct word → one Map pass).
// === slow ===
/** @param {string[]} words @returns {[string, number][]} */
function wordCounts(words) {
  const distinct = [...new Set(words)].sort();
  return distinct.map((w) => [w, words.filter((v) => v === w).length]);
}
// === fast ===
/** @param {string[]} words @returns {[string, number][]} */
function wordCounts(words) {
  const m = new Map();
  for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
