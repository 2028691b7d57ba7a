// One-shot analysis of a whole text: what the CLI and the tests use.
import type { LanguageSpec } from './language';
import type { ParserFactory } from '../parsing';
import { DocumentAnalysis } from './document';
import type { Finding } from './rule';

export function analyzeText(spec: LanguageSpec, factory: ParserFactory, text: string): Finding[] {
  const doc = new DocumentAnalysis(spec, factory.create(spec.grammar), text);
  try {
    return doc.findings();
  } finally {
    doc.dispose();
  }
}
