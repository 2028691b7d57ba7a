// SARIF 2.1.0, as code-scanning services accept it: one run, the rules that fired with their
// documentation, results with regions (UTF-16 columns, 1-based).
import { VERSION } from '../version';
import { pathToFileURL } from 'node:url';
import { allRules } from '../languages';
import { INVALID_SYNTAX } from '../analysis/document';
import type { Severity } from '../analysis/rule';
import { lineColumn, type Positions } from '../analysis/positions';
import { artifactLocation, type FileFindings, type SkippedFile } from './findings';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** `skipped`: the files not analysed, recorded as the invocation's notifications (a consumer sees that they were not checked). */
export function toSarif(files: FileFindings[], skipped: SkippedFile[] = []) {
  const rules = allRules();
  const index = new Map(rules.map((r, i) => [r.code, i]));
  index.set(INVALID_SYNTAX, rules.length);
  const region = (positions: Positions, start: number, end: number) => {
    const s = lineColumn(positions, start);
    const e = lineColumn(positions, end);
    return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hotpath',
            version: VERSION,
            informationUri: 'https://github.com/hotpath-dev/hotpath',
            rules: rules.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: `${r.summary} Cost: ${r.cost}.` },
              help: { text: r.docs, markdown: r.docs },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['performance', ...r.languages] },
            })).concat([{
              id: INVALID_SYNTAX,
              name: INVALID_SYNTAX,
              shortDescription: { text: 'Code that does not parse.' },
              fullDescription: { text: 'Code that does not parse: the region is reported and not analysed; the rest of the file is.' },
              help: { text: 'Fix the syntax error; Hotpath analyses the code that parses around it.', markdown: 'Fix the syntax error; Hotpath analyses the code that parses around it.' },
              defaultConfiguration: { level: 'error' },
              properties: { tags: ['syntax'] },
            }]),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: skipped.map((s) => ({
              level: 'warning',
              message: { text: `skipped, ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(s.displayPath) } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + '/').href } },
        results: files.flatMap((f) =>
          f.findings.map((x) => ({
            ruleId: x.code,
            ruleIndex: index.get(x.code),
            level: LEVEL[x.severity],
            message: { text: x.message },
            locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.displayPath), region: region(f.positions, x.startIndex, x.endIndex) } }],
            relatedLocations: x.related.map((r, i) => ({
              id: i + 1,
              message: { text: r.message },
              physicalLocation: { artifactLocation: artifactLocation(f.displayPath), region: region(f.positions, r.startIndex, r.endIndex) },
            })),
          })),
        ),
      },
    ],
  };
}
