import type { Filter } from './context';

/** The line after the cursor in the document, re-typed by the model: stop before it. */
export const stopAtNextDocumentLine: Filter = (text, { suffix }) => {
  const suffixLines = suffix.split('\n');
  const nextDocLine = (suffixLines.length > 1 ? suffixLines.slice(1) : []).find((l) => l.trim().length > 0)?.trim();
  if (!nextDocLine || nextDocLine.length < 3) return text;
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => i > 0 && l.trim() === nextDocLine);
  return at > 0 ? lines.slice(0, at).join('\n') : text;
};
