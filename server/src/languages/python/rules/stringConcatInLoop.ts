import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { headerText, loopRelated, onlyConstantLoops } from '../loops';
import { nameInfo } from '../scope';
import { py } from '../syntax';

/** `s += x` or `s = s + x` with a plain name `s`: the name node, or null. */
function accumulation(node: SyntaxNode): SyntaxNode | null {
  if (node.type === 'augmented_assignment' && node.child('operator')?.text === '+=') {
    const left = node.child('left');
    return left?.type === 'identifier' ? left : null;
  }
  if (node.type === 'assignment' && !node.child('type')) {
    const left = node.child('left');
    const right = node.child('right');
    if (left?.type !== 'identifier' || right?.type !== 'binary_operator' || right.child('operator')?.text !== '+') return null;
    const l = right.child('left');
    return l?.type === 'identifier' && l.text === left.text ? left : null;
  }
  return null;
}

export const stringConcatInLoop: Rule<PythonFacts> = {
  code: 'HP103',
  name: 'string-concat-in-loop',
  languages: ['python'],
  severity: 'warning',
  summary: 'A string built with `+=` inside a loop is copied on every iteration.',
  cost: 'O(n²) → O(n)',
  covers: [],
  docs: `## What it does
Flags \`s += piece\` and \`s = s + piece\` inside a loop when \`s\` is known to be a string: initialised from a
string literal (or an f-string, \`str(...)\`, \`''.join(...)\`) or annotated \`str\`; bytes built from a \`b''\`
literal the same way are flagged too (use \`b''.join\` or a \`bytearray\`). Numeric accumulators
(\`total += price\`) and names of unknown type are never flagged.

## Why
Strings are immutable: each concatenation allocates a new string and copies both parts, so building
a string of length n from k pieces costs O(n·k), quadratic in the output. CPython sometimes resizes
in place when nothing else references the string, but that is an implementation detail that other
interpreters and many ordinary situations (the string held elsewhere, a debugger, an attribute or a
global target) defeat; PEP 8 asks not to rely on it. \`''.join(pieces)\` computes the size once and
copies each piece once.

## Example
\`\`\`python
def render_report(lines):
    report = ""
    for line in lines:
        report += line + "\\n"
    return report
\`\`\`
## Fix
\`\`\`python
def render_report(lines):
    return "".join(line + "\\n" for line in lines)
\`\`\`
or collect the pieces in a list and join once after the loop. No quick fix: the rewrite depends on
how the string is used inside the loop.`,
  fixtures: [
    py('report built with +=', `def render(lines):
    report = ""
    for line in lines:
        report += line + "\\n"
    return report
`, [4]),
    py('s = s + x, annotated str, in a while loop', `def f(n):
    s: str = ''
    i = 0
    while i < n:
        s = s + str(i)
        i += 1
    return s
`, [5]),
    py('only the first accumulation per loop is reported', `def f(words):
    out = ''
    for w in words:
        out += w
        out += ' '
    return out
`, [4]),
    py('bytes built with +=', `def f(blocks):
    out = b""
    for b in blocks:
        out += b
    return out
`, [4]),
    py('numeric accumulators are fine', `def total(items):
    total = 0
    for item in items:
        total += item["price"] * item["qty"]
    count = 0.0
    for item in items:
        count = count + 1
    return total, count
`, []),
    py('unknown type is never flagged', `def f(parts, acc):
    for p in parts:
        acc += p
    return acc
`, []),
    py('list += is not string concatenation', `def f(rows):
    out = []
    for r in rows:
        out += [r]
    return out
`, []),
    py('string rebound to a non-string inside the loop', `def f(xs):
    s = ''
    for x in xs:
        s += x
        s = len(s)
`, []),
  ],
  create(ctx) {
    const seen = new Set<string>();
    const visit = (node: SyntaxNode) => {
      const name = accumulation(node);
      if (!name) return;
      const loops = ctx.facts.loops(node);
      if (loops.length === 0 || onlyConstantLoops(loops)) return;
      const info = nameInfo(ctx, name.text, name);
      if (info.kind !== 'str') return;
      const bytes = /^[rR]?[bB]|^[bB][rR]/.test(info.binding?.value?.text ?? '') || /^bytes/.test(info.binding?.annotation?.text ?? '');
      const key = `${name.text}@${loops[0].startIndex}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.report({
        node,
        message: bytes
          ? `bytes \`${name.text}\` built by concatenation inside a loop: each step copies the whole value, O(n²); collect the pieces and b''.join() them (or use a bytearray)`
          : `string \`${name.text}\` built by concatenation inside a loop: each step copies the whole string, O(n²); collect the pieces and ''.join() them`,
        related: [loopRelated(loops[0], `the loop: \`${headerText(loops[0])}\``)],
      });
    };
    return { augmented_assignment: visit, assignment: visit };
  },
};
