import type { Filter } from './context';

/** CRLF from the model → LF (the editor converts to the document's line endings). */
export const normalizeLineEndings: Filter = (text) => text.replace(/\r\n/g, '\n');
