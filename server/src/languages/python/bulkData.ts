// Does a loop that builds a bytes or str value by concatenation run over bulk data (issue 13 round
// 11, the severity contract of plain `check`)? Concatenation copies what was built so far, so its
// O(n²) is in the bytes built: it shows once the value reaches hundreds of kilobytes. That happens
// when the loop runs over a payload (the bytes of `data`, the lines of a file) or reads a stream on
// every step; a loop over a record's fields, a few headers or one code's characters builds a value of
// a few hundred bytes whatever the input (most judged bytes warnings of rounds 5–10: xlwt records,
// piexif entries, dpkt AS paths, gunicorn headers; bench/precision.md "Eleventh round").
import { MEASURE_ASK, shortText } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { headerText } from './loops';
import { bindingsOf, resolveScope } from './scope';
import { unparen } from './syntax';

/** Parameter names that hold a payload or a stream rather than a definition. */
const BULK_NAME = /^(?:data|payload|buf|buffer|raw|blob|body|content|contents|text|source|document|stream|fh|fp|fd|file|infile|f|lines|chunks|plaintext|ciphertext|message|msg)$/i;
/** Annotations of a payload or a stream. */
const BULK_TYPE = /^(?:bytes|bytearray|memoryview|str|BinaryIO|TextIO|IO\b|typing\.(?:BinaryIO|TextIO|IO)|Iterable\[(?:bytes|str)\]|Iterator\[(?:bytes|str)\])/;
/** Reading a stream: one more piece of a file or a socket on every step. */
const STREAM_READS = new Set(['read', 'readline', 'read1', 'readinto', 'recv', 'recv_into', 'recvfrom']);
/** Wrappers that run over their argument's items: `enumerate(data)`, `iter(data)`, `range(len(data))`. */
const OVER = new Set(['enumerate', 'iter', 'reversed', 'range', 'len', 'zip']);

/** The parameter a loop's iterable runs over when it is bulk data (by name or annotation), or null. */
function bulkParameter(iterable: SyntaxNode | null | undefined): string | null {
  const e = unparen(iterable);
  if (!e) return null;
  if (e.type === 'call') {
    const fn = e.child('function');
    if (fn?.type === 'identifier' && fn.text === 'open') return 'a file';
    if (fn?.type === 'identifier' && OVER.has(fn.text)) {
      for (const a of e.child('arguments')?.namedChildren ?? []) {
        const p = bulkParameter(a);
        if (p) return p;
      }
    }
    return null;
  }
  if (e.type !== 'identifier') return null;
  const scope = resolveScope(e.text, e);
  if (typeof scope === 'string' || scope.type !== 'function_definition') return null;
  const param = (bindingsOf(scope).get(e.text) ?? []).find((b) => b.kind === 'param');
  if (!param) return null;
  return BULK_NAME.test(e.text) || BULK_TYPE.test(param.annotation?.text ?? '') ? `\`${e.text}\`` : null;
}

/** A stream read in the loop's own body (`chunk = f.read(4096)`), or null. */
function streamRead(loop: SyntaxNode): SyntaxNode | null {
  for (const n of loop.descendants()) {
    if (n.type === 'function_definition' || n.type === 'lambda') continue;
    if (n.type !== 'call') continue;
    const fn = n.child('function');
    if (fn?.type === 'attribute' && STREAM_READS.has(fn.child('attribute')?.text ?? '')) return n;
  }
  return null;
}

/**
 * Evidence that one of `loops` runs over bulk data: how (a sentence), or null. A `for` over a
 * parameter named or annotated as a payload or a stream (`for c in data`, `for line in fh:` with `fh:
 * BinaryIO`, `range(len(data))`), a `for` over `open(…)`, or a stream read in the loop body.
 */
export function bulkEvidence(loops: readonly SyntaxNode[]): string | null {
  for (const l of loops) {
    if (l.type === 'for_statement') {
      const p = bulkParameter(l.child('right'));
      if (p) return `the loop runs over ${p}`;
    }
    const read = streamRead(l);
    if (read) return `the loop reads a stream (\`${shortText(read, 30)}\`)`;
  }
  return null;
}

/** The note of a concatenation whose loop shows no bulk data. */
export function noBulkNote(loops: readonly SyntaxNode[]): string {
  const over = loops[0] ? ` (\`${shortText(headerText(loops[0]), 40)}\`)` : '';
  return `; its O(n²) is in the bytes built, which shows once they reach hundreds of kilobytes, and the loop${over} runs over neither a payload parameter nor a stream, so no evidence it builds that much${MEASURE_ASK}`;
}
