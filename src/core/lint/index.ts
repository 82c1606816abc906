/**
 * The lint engine's public API. Pure: no `vscode`, no file system (except locating the wasm files).
 *
 *   const linter = await createLinter();           // loads tree-sitter once
 *   const diags = linter.lint(source, { path, config });   // synchronous, never throws
 *
 * One parse, one walk that builds the semantic model, then every enabled rule queries the model.
 */
import { isEnabled, mergeConfig, parsePyprojectConfig, ConfigError } from './config';
import { ruleDocsMarkdown } from './docs';
import { applyFixes } from './fixes';
import { analysisBudgetDiagnostic, INTERNAL_ERROR, internalErrorDiagnostic } from './internal';
import { analysisIfComputed } from './analysis';
import { lineBreakOf, normalizeNewlines, withLineBreaks } from './newlines';
import { isSuppressed, parseSuppressions } from './noqa';
import { loadPythonParser, type IncrementalState, type PythonParser } from './parser';
import { RuleContext, type Rule } from './rule';
import { ALL_RULES } from './rules';
import { SemanticModel } from './semantic';
import { DEFAULT_CONFIG, type Diagnostic, type LintConfig, type Position, type RuleMeta } from './types';

export type { Diagnostic, LintConfig, RuleMeta, Fix, TextEdit, Range, Position, Severity, RelatedLocation, RuleDocs } from './types';
export { DEFAULT_CONFIG } from './types';
export { applyFixes, parsePyprojectConfig, mergeConfig, isEnabled, ruleDocsMarkdown, ConfigError };
export { INTERNAL_ERROR_CODE } from './internal';
export { normalizeNewlines } from './newlines';

export interface LintOptions {
  /** File path, used only in messages (never read). */
  path?: string;
  config?: LintConfig;
}

/** What happened in the last `lint`/`lintDocument` call, beyond its diagnostics. */
export interface LintRun {
  /** Rule exceptions and parse failures (each is also an AGL000 diagnostic in the result). */
  internalErrors: { code: string; error: string }[];
  /** False when the text was not parsed: no rule enabled, or it never mentions a framework. */
  parsed: boolean;
  /** The text has a syntax error: what tree-sitter could not parse is not linted. */
  syntaxError: boolean;
}

export interface Linter {
  /**
   * Lines end as Python ends them (`\n`, `\r\n` or a lone `\r`); positions and fix edits refer to
   * `source` as given. Engine failures come back as AGL000 diagnostics.
   */
  lint(source: string, opts?: LintOptions): Diagnostic[];
  /**
   * Lint one version of a document that changes (an editor buffer). The result always equals
   * `lint(source, opts)`; the engine keeps the document's previous tree-sitter tree and parses the new
   * text incrementally (the edit is found by diffing the two texts). `uri` is only a key.
   * Call `forget(uri)` when the document closes; at most `Engine.MAX_DOCUMENTS` are kept (least recently
   * linted dropped first).
   */
  lintDocument(uri: string, source: string, opts?: LintOptions): Diagnostic[];
  /** Drop what `lintDocument` kept for a document (frees its tree-sitter tree). */
  forget(uri: string): void;
  /** About the last lint call. */
  readonly lastRun: LintRun;
  /** Where the first syntax error of `source` is (tree-sitter's first ERROR or MISSING node), or null. */
  locateSyntaxError(source: string): Position | null;
}

/** Every registered rule, sorted by code, after the reserved AGL000 internal-error (which is not a rule). */
export const RULES: readonly RuleMeta[] = [INTERNAL_ERROR, ...ALL_RULES.map((r) => r.meta)];

export function ruleByCode(code: string): RuleMeta | undefined {
  const c = code.toUpperCase();
  return RULES.find((r) => r.code === c);
}

/**
 * Files that never mention a framework or autograd are skipped without parsing. The conventional aliases
 * `tf.`, `jnp.` and `K.` (Keras backend) count: the semantic model resolves them when they are not
 * bound. So do the JAX libraries `flax`, `optax` and `equinox`.
 */
const FRAMEWORK_MENTION = /\b(?:torch|tensorflow|jax|keras|functorch|tf_keras|flax|optax|equinox|autograd|backward|requires_grad|GradientTape|gradients|jacobian|hessian|value_and_grad|jacfwd|jacrev)\b|\b(?:tf|jnp|K)\.\w|\bgrad\s*\(/;

export async function createLinter(opts: { wasmDir?: string } = {}): Promise<Linter> {
  const parser = await loadPythonParser(opts.wasmDir);
  return new Engine(parser, ALL_RULES);
}

/** Internal engine; `createLinter` is the public way in. Exported for tests that register extra rules. */
export class Engine implements Linter {
  /** Errors thrown by rules in the last lint (rule code → message); rules never break a lint. */
  lastRuleErrors: { code: string; error: string }[] = [];
  lastRun: LintRun = { internalErrors: this.lastRuleErrors, parsed: false, syntaxError: false };
  /**
   * The models of the last few distinct sources (a model is immutable once built). Re-linting
   * unchanged text — on save, on a settings change, when another file's edit triggers a workspace
   * pass — skips the parse and the model and only runs the rules.
   */
  private readonly cache = new Map<string, SemanticModel>();
  static readonly CACHE_SIZE = 8;
  /**
   * At most this many characters of source in the cache (a model with its analysis keeps several KB per
   * line): the command line lints each file once, and eight large files kept for nothing would hold
   * gigabytes. A text longer than this is not kept at all.
   */
  static CACHE_CHARS = 4_000_000;
  private cachedChars = 0;

  /** Per document (`lintDocument`): the live tree-sitter tree and the model of its last version. */
  private readonly documents = new Map<string, { state: IncrementalState; model: SemanticModel }>();
  static readonly MAX_DOCUMENTS = 32;

  constructor(
    private readonly parser: PythonParser,
    private readonly rules: readonly Rule[],
  ) {}

  lint(source: string, opts: LintOptions = {}): Diagnostic[] {
    const text = normalizeNewlines(source);
    return this.run(source, text, opts, () => {
      let model = this.cache.get(text);
      if (model) {
        this.cache.delete(text); // re-inserted below as the most recent
        this.cachedChars -= text.length;
      } else model = new SemanticModel(this.parser.parse(text));
      if (text.length > Engine.CACHE_CHARS) return model;
      this.cache.set(text, model);
      this.cachedChars += text.length;
      while (this.cache.size > Engine.CACHE_SIZE || this.cachedChars > Engine.CACHE_CHARS) {
        const oldest = this.cache.keys().next().value as string;
        this.cache.delete(oldest);
        this.cachedChars -= oldest.length;
      }
      return model;
    });
  }

  lintDocument(uri: string, source: string, opts: LintOptions = {}): Diagnostic[] {
    const text = normalizeNewlines(source);
    return this.run(source, text, opts, () => {
      const doc = this.documents.get(uri);
      if (doc && doc.state.source === text) {
        this.documents.delete(uri); // re-inserted as the most recent
        this.documents.set(uri, doc);
        return doc.model;
      }
      this.documents.delete(uri);
      // parseIncremental deletes the previous wasm tree whatever happens; on a throw the document is
      // simply forgotten and its next version parses from scratch.
      const state = this.parser.parseIncremental(text, doc?.state);
      let model: SemanticModel;
      try {
        model = new SemanticModel(state.tree);
      } catch (err) {
        state.wasm.delete();
        throw err;
      }
      this.documents.set(uri, { state, model });
      if (this.documents.size > Engine.MAX_DOCUMENTS) this.forget(this.documents.keys().next().value as string);
      return model;
    });
  }

  forget(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    this.documents.delete(uri);
    doc.state.wasm.delete();
  }

  locateSyntaxError(source: string): Position | null {
    return this.parser.locateSyntaxError(normalizeNewlines(source));
  }

  /**
   * `source` as given, `text` with Python's line breaks (`normalizeNewlines`): the same length and
   * offsets. Never throws: a failure becomes an AGL000 diagnostic next to what the other rules found.
   */
  private run(source: string, text: string, opts: LintOptions, modelOf: () => SemanticModel): Diagnostic[] {
    this.lastRuleErrors = [];
    this.lastRun = { internalErrors: this.lastRuleErrors, parsed: false, syntaxError: false };
    const firstLine = (): Diagnostic['range'] => {
      const m = /[\r\n]/.exec(text);
      return { start: { line: 0, column: 0 }, end: { line: 0, column: m ? m.index : text.length } };
    };
    try {
      const out = this.runRules(text, opts, modelOf);
      if (text !== source && lineBreakOf(source) === '\r') {
        // Fix text written with `\n` goes into an old-Mac file as `\r`.
        for (const d of out) {
          d.fixes = d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, newText: withLineBreaks(e.newText, '\r') })) }));
        }
      }
      return [...this.lastRuleErrors.map((e) => internalErrorDiagnostic(e, firstLine())), ...out];
    } catch (err) {
      this.lastRuleErrors.push({ code: 'parse', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return this.lastRuleErrors.map((e) => internalErrorDiagnostic(e, firstLine()));
    }
  }

  private runRules(text: string, opts: LintOptions, modelOf: () => SemanticModel): Diagnostic[] {
    const config = opts.config ?? DEFAULT_CONFIG;
    const active = this.rules.filter((r) => isEnabled(r.meta.code, config));
    if (active.length === 0 || !FRAMEWORK_MENTION.test(text)) return [];
    let ctx: RuleContext;
    try {
      const model = modelOf();
      ctx = new RuleContext(model.tree, model, opts.path);
    } catch (err) {
      this.lastRuleErrors.push({ code: 'parse', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return [];
    }
    this.lastRun.parsed = true;
    this.lastRun.syntaxError = ctx.tree.hasError;
    for (const rule of active) {
      ctx.meta = rule.meta;
      const before = ctx.diagnostics.length;
      try {
        rule.check(ctx);
      } catch (err) {
        ctx.diagnostics.length = before; // a crashing rule reports nothing rather than half its findings
        this.lastRuleErrors.push({ code: rule.meta.code, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    }
    ctx.meta = null;
    const analysis = analysisIfComputed(ctx.model);
    const budgetNote = analysis?.incomplete
      ? analysisBudgetDiagnostic(analysis.stoppedAt ? ctx.lineOf(analysis.stoppedAt) : 1, ctx.tree.lineStarts.length, {
          start: { line: 0, column: 0 },
          end: { line: 0, column: Math.max(0, (ctx.tree.lineStarts[1] ?? text.length + 1) - 1) },
        })
      : null;
    const suppressions = parseSuppressions(ctx.tree);
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const d of ctx.diagnostics) {
      if (isSuppressed(suppressions, d.meta.code, d.range.start.line)) continue;
      const key = `${d.meta.code}:${d.range.start.line}:${d.range.start.column}:${d.range.end.line}:${d.range.end.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const override = config.severity[d.meta.code];
      out.push({
        code: d.meta.code,
        rule: d.meta.name,
        severity: override && override !== 'off' ? override : d.meta.defaultSeverity,
        range: d.range,
        message: d.message,
        related: d.related,
        fixes: d.fixes,
      });
    }
    if (budgetNote) out.push(budgetNote);
    out.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.column - b.range.start.column ||
        a.code.localeCompare(b.code) ||
        a.range.end.line - b.range.end.line ||
        a.range.end.column - b.range.end.column,
    );
    return out;
  }
}
