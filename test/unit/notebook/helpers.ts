/** Building notebooks for the tests, laid out as Jupyter writes them (indent 1, sorted keys, trailing newline). */
import { sourceLines } from '../../../src/core/notebook/nbformat';

export type CellSpec = [kind: 'code' | 'markdown' | 'raw', source: string];

export interface NotebookOptions {
  /** Write each source as one string instead of a list of lines. */
  sourceAsString?: boolean;
  indent?: number;
  language?: string;
  nbformat?: number;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export function notebookJson(cells: CellSpec[], o: NotebookOptions = {}): string {
  const nb = {
    cells: cells.map(([kind, source], i) => {
      const base: Record<string, unknown> = {
        cell_type: kind,
        id: `cell-${i}-${kind}`,
        metadata: kind === 'code' ? { scrolled: true, tags: ['t'] } : {},
        source: o.sourceAsString ? source : sourceLines(source),
      };
      if (kind === 'code') {
        base.execution_count = i + 1;
        base.outputs = [{ name: 'stdout', output_type: 'stream', text: [`out ${i}\n`, 'ünïcode → ok\n'] }];
      }
      return base;
    }),
    metadata: {
      kernelspec: { display_name: 'Python 3', language: o.language ?? 'python', name: 'python3' },
      language_info: { name: o.language ?? 'python', version: '3.11.4' },
    },
    nbformat: o.nbformat ?? 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(sortKeys(nb), null, o.indent ?? 1)}\n`;
}
