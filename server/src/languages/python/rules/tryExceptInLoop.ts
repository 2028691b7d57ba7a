import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { hasBreakOrContinue, headerText, loopRelated } from '../loops';
import { py, statements } from '../syntax';

export const tryExceptInLoop: Rule<PythonFacts> = {
  code: 'HP107',
  name: 'try-except-in-loop',
  languages: ['python'],
  severity: 'hint',
  summary: 'A loop whose whole body is a `try`/`except` sets up exception handling on every iteration (before Python 3.11).',
  cost: 'O(n) handler set-ups → O(1) (Python < 3.11 only)',
  covers: ['PERF203'],
  docs: `## What it does
Flags a \`for\`/\`while\` loop whose body is a single \`try\` statement with \`except\` handlers, unless the
\`try\` body uses \`break\` or \`continue\`. Covers Ruff's **PERF203**, with the same shape.

## Why, and Hotpath's stance
Before Python 3.11, entering a \`try\` block pushed a handler block on every iteration. Python 3.11
made exception handling "zero-cost" on the path where nothing is raised, so on current Pythons the
gain is small unless exceptions are frequent. Ruff enables PERF203 only for target versions below
3.11; Hotpath reports it always but as a **hint** (the faintest severity, no squiggle), because it
cannot know which interpreter runs the code. Disable it with \`ignore = ["HP107"]\` in
\`[tool.hotpath]\` when you target 3.11+.

## Example
\`\`\`python
for num in string_numbers:
    try:
        int_numbers.append(int(num))
    except ValueError as e:
        print(f"Couldn't convert to integer: {e}")
\`\`\`
## Fix
Move the loop inside the \`try\` when one failure should stop the loop, or avoid the exception with a
"look before you leap" check (\`dict.get\`, \`str.isdigit\`).`,
  fixtures: [
    py('whole body is a try', `def f(xs):
    out = []
    for x in xs:
        try:
            out.append(int(x))
        except ValueError:
            out.append(None)
    return out
`, [6]),
    py('while loop with a try/except/else', `def f(it):
    while True:
        try:
            x = next(it)
        except StopIteration:
            return None
        else:
            print(x)
`, [5]),
    py('break or continue inside the try body', `def f(xs):
    for x in xs:
        try:
            if x:
                continue
        except ValueError:
            pass
`, []),
    py('try is not the whole body; try/finally', `def f(xs):
    for x in xs:
        y = x
        try:
            print(y)
        except ValueError:
            pass
    for x in xs:
        try:
            print(x)
        finally:
            pass
`, []),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      if (node.type !== 'for_statement' && node.type !== 'while_statement') return;
      const body = statements(node.child('body'));
      if (body.length !== 1 || body[0].type !== 'try_statement') return;
      const tryStmt = body[0];
      const handler = tryStmt.namedChildren.find((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
      if (!handler) return;
      const tryBody = tryStmt.child('body');
      if (!tryBody || hasBreakOrContinue(tryBody)) return;
      const headEnd = handler.children.find((c) => c.type === ':');
      ctx.report({
        node: { startIndex: handler.startIndex, endIndex: headEnd ? headEnd.endIndex : handler.startIndex + 6 },
        message: 'try/except is the whole loop body: before Python 3.11 its handler is set up on every iteration, O(n); move the loop inside the try, or check before acting',
        related: [loopRelated(node, `the loop: \`${headerText(node)}\``)],
      });
    };
    return { for_statement: visit, while_statement: visit };
  },
};
