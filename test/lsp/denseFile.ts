// The issue-20 stress material: small Python functions with four findings each (HP101, HP102,
// HP103, HP301), repeated to the size asked (250 KB ≈ 4,000 findings). Generated, so our own
// material: figures on it are regression figures, not evidence of quality.
export function denseFile(bytes = 250_000): string {
  const block = (i: number) => `def f${i}(orders, n):
    """Collect the orders seen twice."""
    seen = []
    text = ""
    queue = list(orders)
    for o in orders:
        if o in seen:
            text += str(o)
        seen.append(o)
        queue.pop(0)
    return text, queue

`;
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += block(i);
  return out;
}
