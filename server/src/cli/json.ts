// `hotpath check --format json`: one object per finding, 1-based lines and UTF-16 columns.
import { lineColumn } from '../analysis/positions';
import type { FileFindings } from './findings';

export interface JsonFinding {
  path: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  code: string;
  severity: string;
  message: string;
  fix: { title: string; edits: { start: number; end: number; new_text: string }[] } | null;
}

export function toJson(files: FileFindings[]): JsonFinding[] {
  return files.flatMap((f) =>
    f.findings.map((x) => {
      const start = lineColumn(f.positions, x.startIndex);
      const end = lineColumn(f.positions, x.endIndex);
      return {
        path: f.displayPath,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        code: x.code,
        severity: x.severity,
        message: x.message,
        fix: x.fix ? { title: x.fix.title, edits: x.fix.replacements.map((r) => ({ start: r.startIndex, end: r.endIndex, new_text: r.newText })) } : null,
      };
    }),
  );
}
