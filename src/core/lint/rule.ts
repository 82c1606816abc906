/**
 * What a rule is and what it is given. A rule is a `RuleMeta` plus a `check(ctx)` that queries the
 * semantic model (never re-parses) and calls `ctx.report(...)`. See docs/writing-rules.md.
 */
import { analyse, type Analysis } from './analysis';
import type { SemanticModel } from './semantic';
import { positionAt, rangeOf, type PyNode, type PyTree } from './tree';
import type { Fix, Range, RuleMeta, TextEdit } from './types';

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export interface ReportRelated {
  node?: PyNode;
  range?: Range;
  message: string;
}

export interface Report {
  /** Where the diagnostic starts and ends: a node, or an explicit range. */
  node?: PyNode;
  range?: Range;
  message: string;
  related?: ReportRelated[];
  fixes?: Fix[];
}

export interface RawDiagnostic {
  meta: RuleMeta;
  range: Range;
  message: string;
  related: { range: Range; message: string }[];
  fixes: Fix[];
}

export class RuleContext {
  readonly diagnostics: RawDiagnostic[] = [];
  meta: RuleMeta | null = null;

  constructor(
    readonly tree: PyTree,
    readonly model: SemanticModel,
    readonly path: string | undefined,
  ) {}

  /** The autograd analysis of the file (computed on first use, shared by every rule). */
  get analysis(): Analysis {
    return analyse(this.model);
  }

  get source(): string {
    return this.tree.source;
  }

  text(node: PyNode): string {
    return this.tree.source.slice(node.start, node.end);
  }

  range(node: PyNode): Range {
    return rangeOf(this.tree, node);
  }

  /** 1-based line of a node, as messages quote it ("(line 40)"). */
  lineOf(node: PyNode): number {
    return positionAt(this.tree.lineStarts, node.start).line + 1;
  }

  report(r: Report): void {
    if (!this.meta) throw new Error('report() outside a rule check');
    const range = r.range ?? (r.node ? this.range(r.node) : null);
    if (!range) throw new Error(`${this.meta.code}: report needs a node or a range`);
    this.diagnostics.push({
      meta: this.meta,
      range,
      message: r.message,
      related: (r.related ?? []).flatMap((x) => {
        const rr = x.range ?? (x.node ? this.range(x.node) : null);
        return rr ? [{ range: rr, message: x.message }] : [];
      }),
      fixes: r.fixes ?? [],
    });
  }

  // ---- edit helpers for fixes (offsets are UTF-16 indices into the source)

  replace(node: PyNode, newText: string): TextEdit {
    return { range: this.range(node), newText };
  }

  replaceOffsets(start: number, end: number, newText: string): TextEdit {
    return { range: { start: positionAt(this.tree.lineStarts, start), end: positionAt(this.tree.lineStarts, end) }, newText };
  }

  insertAt(offset: number, text: string): TextEdit {
    const p = positionAt(this.tree.lineStarts, offset);
    return { range: { start: p, end: p }, newText: text };
  }

  /** Leading whitespace of the line a node starts on. */
  indentOf(node: PyNode): string {
    const line = positionAt(this.tree.lineStarts, node.start).line;
    const start = this.tree.lineStarts[line];
    const m = /^[ \t]*/.exec(this.tree.source.slice(start, start + 200));
    return m ? m[0] : '';
  }

  /** Offset of the start of the line a node starts on. */
  lineStartOf(node: PyNode): number {
    return this.tree.lineStarts[positionAt(this.tree.lineStarts, node.start).line];
  }

  /** Offset just after the newline that ends the line on which a node ends (or the source end). */
  lineEndAfter(node: PyNode): number {
    const line = positionAt(this.tree.lineStarts, node.end).line;
    return line + 1 < this.tree.lineStarts.length ? this.tree.lineStarts[line + 1] : this.tree.source.length;
  }

  /** Newline sequence used by the file. */
  get eol(): string {
    return this.tree.source.includes('\r\n') ? '\r\n' : '\n';
  }
}

/**
 * A rule whose syntactic check is followed by a pass over the autograd analysis that reports what the
 * syntax alone cannot see; `seen(node)` tells whether the first check already reported at that node
 * (one diagnostic per mistake).
 */
export function withAnalysisPass(rule: Rule, pass: (ctx: RuleContext, seen: (node: PyNode) => boolean) => void): Rule {
  return {
    meta: rule.meta,
    check(ctx) {
      const before = ctx.diagnostics.length;
      rule.check(ctx);
      const starts = new Set(ctx.diagnostics.slice(before).map((d) => `${d.range.start.line}:${d.range.start.column}`));
      pass(ctx, (node) => {
        const r = ctx.range(node);
        return starts.has(`${r.start.line}:${r.start.column}`);
      });
    },
  };
}
