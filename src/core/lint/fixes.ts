/**
 * Applying fixes. Each diagnostic's first fix that qualifies (safe, or any with `unsafe`) is taken;
 * fixes whose edits overlap an already accepted edit are skipped (they can be applied on a later run,
 * after a re-lint). Edits are applied from the end of the file backwards.
 * Lines are counted as Python counts them (a lone `\r` ends a line, see newlines.ts), as the engine's
 * positions are; everything not inside an accepted edit is kept as it is, line breaks included.
 * `edits` lists what was applied: offsets into `source`, in text order.
 */
import { normalizeNewlines } from './newlines';
import { computeLineStarts, offsetAt } from './tree';
import type { Diagnostic, TextEdit } from './types';

export interface AppliedEdit {
  /** UTF-16 offsets into the source the fixes were applied to. */
  start: number;
  end: number;
  text: string;
}

export function applyFixes(
  source: string,
  diagnostics: Diagnostic[],
  opts: { unsafe?: boolean } = {},
): { output: string; applied: number; edits: AppliedEdit[] } {
  const lineStarts = computeLineStarts(normalizeNewlines(source));
  type Span = { start: number; end: number; text: string };
  const accepted: Span[] = [];
  let applied = 0;
  // Two edits conflict when their ranges intersect, or both insert at the same point (order unknown).
  const overlaps = (a: Span, b: Span): boolean => (a.start < b.end && b.start < a.end) || (a.start === a.end && b.start === b.end && a.start === b.start);
  for (const d of diagnostics) {
    const fix = d.fixes.find((f) => f.safe || opts.unsafe === true);
    if (!fix) continue;
    const spans = fix.edits.map((e: TextEdit) => ({
      start: offsetAt(lineStarts, source.length, e.range.start),
      end: offsetAt(lineStarts, source.length, e.range.end),
      text: e.newText,
    }));
    if (spans.some((s) => s.end < s.start)) continue;
    if (spans.some((s, i) => spans.some((t, j) => i !== j && overlaps(s, t)))) continue;
    if (spans.some((s) => accepted.some((a) => overlaps(s, a)))) continue;
    accepted.push(...spans);
    applied++;
  }
  accepted.sort((a, b) => b.start - a.start || b.end - a.end);
  let output = source;
  for (const s of accepted) output = output.slice(0, s.start) + s.text + output.slice(s.end);
  return { output, applied, edits: accepted.reverse().map((s) => ({ start: s.start, end: s.end, text: s.text })) };
}
