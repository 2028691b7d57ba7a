import type { Filter } from './context';

/** Drop the end of the completion's first line when the rest of the cursor's line already has it. */
export const trimLineOverlap: Filter = (text, { suffix }) => {
  const restOfLine = suffix.slice(0, suffix.indexOf('\n') < 0 ? suffix.length : suffix.indexOf('\n')).trimEnd();
  // only closing brackets: cutDuplicateCloser decides (a balanced "f(x)" before ")" is right)
  if (!restOfLine.trim() || /^[\s)\]};,]*$/.test(restOfLine)) return text;
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  // the first line ends with the text already after the cursor: keep only what is new
  if (first.trimEnd().endsWith(restOfLine.trim())) {
    const cut = first.trimEnd().length - restOfLine.trim().length;
    return first.slice(0, cut).replace(/[ \t]+$/, '');
  }
  return text;
};
