import type { Filter } from './context';

/** Cut where the completion starts repeating: the same line twice in a row, or a repeated block of 2-4 lines. */
export const cutRepetition: Filter = (text) => {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.length >= 4 && t === lines[i - 1].trim()) return lines.slice(0, i).join('\n');
    for (let k = 2; k <= 4 && 2 * k <= i + 1; k++) {
      let same = true;
      for (let j = 0; j < k && same; j++) same = lines[i - j].trim() === lines[i - k - j].trim();
      if (same && lines.slice(i - k + 1, i + 1).some((l) => l.trim().length >= 4)) return lines.slice(0, i - k + 1).join('\n');
    }
  }
  return text;
};
