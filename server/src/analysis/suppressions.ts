// Per-line suppressions: `# hotpath: ignore[HP101]`, `// hotpath: ignore[HP201, HP203]`, or a
// bare `hotpath: ignore` for every code, in a comment on the line where the finding starts.
const PATTERN = /hotpath:\s*ignore(?:\[([^\]]*)\])?/;

export function isSuppressed(source: string, lineComment: string, startIndex: number, code: string): boolean {
  const lineStart = source.lastIndexOf('\n', startIndex - 1) + 1;
  let lineEnd = source.indexOf('\n', startIndex);
  if (lineEnd === -1) lineEnd = source.length;
  const line = source.slice(lineStart, lineEnd);
  const comment = line.indexOf(lineComment);
  if (comment === -1) return false;
  const match = PATTERN.exec(line.slice(comment));
  if (!match) return false;
  if (match[1] === undefined) return true;
  return match[1].split(',').map((c) => c.trim().toUpperCase()).includes(code.toUpperCase());
}
