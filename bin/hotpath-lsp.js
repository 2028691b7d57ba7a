#!/usr/bin/env node
// The Hotpath language server for any LSP client: `hotpath-lsp --stdio` (Neovim, Helix, …).
require('../dist/server.js');
