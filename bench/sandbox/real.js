// Real library code measured through thin wrappers (the wrappers only give the inputs a type):
// smol-toml (a dependency of Hotpath's, written by others) and Node's own util.inspect.
const TOML = require('smol-toml');
const util = require('util');

/** @param {number[]} xs */
function tomlRoundTrip(xs) {
  return TOML.parse(TOML.stringify({ values: xs })).values.length;
}

/** @param {string[]} words */
function inspectWords(words) {
  return util.inspect(words, { maxArrayLength: null }).length;
}

module.exports = { tomlRoundTrip, inspectWords };
