// Hotpath's version, as package.json states it (a test keeps them equal): printed by `--version`,
// named in SARIF and the server's info, and part of every result-cache key.
export const VERSION = '0.1.0';
