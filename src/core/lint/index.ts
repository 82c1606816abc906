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
import { isSuppressed, parseSuppressions } from './noqa';
import { loadPythonParser, type IncrementalState, type PythonParser } from './parser';
import { RuleContext, type Rule } from './rule';
import { ALL_RULES } from './rules';
import { SemanticModel } from './semantic';
import { DEFAULT_CONFIG, type Diagnostic, type LintConfig, type RuleMeta } from './types';

export type { Diagnostic, LintConfig, RuleMeta, Fix, TextEdit, Range, Position, Severity, RelatedLocation, RuleDocs } from './types';
export { DEFAULT_CONFIG } from './types';
export { applyFixes, parsePyprojectConfig, mergeConfig, isEnabled, ruleDocsMarkdown, ConfigError };

export interface LintOptions {
  /** File path, used only in messages (never read). */
  path?: string;
  config?: LintConfig;
}

export interface Linter {
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
}

/** Every registered rule, sorted by code. */
export const RULES: readonly RuleMeta[] = ALL_RULES.map((r) => r.meta);

export function ruleByCode(code: string): RuleMeta | undefined {
  const c = code.toUpperCase();
  return RULES.find((r) => r.code === c);
}

/** Files that never mention a framework or autograd are skipped without parsing. */
const FRAMEWORK_MENTION = /\b(?:torch|tensorflow|jax|keras|functorch|tf_keras|autograd|backward|requires_grad|GradientTape|jacobian|hessian)\b/;

export async function createLinter(opts: { wasmDir?: string } = {}): Promise<Linter> {
  const parser = await loadPythonParser(opts.wasmDir);
  return new Engine(parser, ALL_RULES);
}

/** Internal engine; `createLinter` is the public way in. Exported for tests that register extra rules. */
export class Engine implements Linter {
  /** Errors thrown by rules in the last lint (rule code → message); rules never break a lint. */
  lastRuleErrors: { code: string; error: string }[] = [];
  /**
   * The models of the last few distinct sources (a model is immutable once built). Re-linting
   * unchanged text — on save, on a settings change, when another file's edit triggers a workspace
   * pass — skips the parse and the model and only runs the rules.
   */
  private readonly cache = new Map<string, SemanticModel>();
  static readonly CACHE_SIZE = 8;

  /** Per document (`lintDocument`): the live tree-sitter tree and the model of its last version. */
  private readonly documents = new Map<string, { state: IncrementalState; model: SemanticModel }>();
  static readonly MAX_DOCUMENTS = 32;

  constructor(
    private readonly parser: PythonParser,
    private readonly rules: readonly Rule[],
  ) {}

  lint(source: string, opts: LintOptions = {}): Diagnostic[] {
    return this.run(source, opts, () => {
      let model = this.cache.get(source);
      if (model) this.cache.delete(source); // re-inserted below as the most recent
      else model = new SemanticModel(this.parser.parse(source));
      this.cache.set(source, model);
      if (this.cache.size > Engine.CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
      return model;
    });
  }

  lintDocument(uri: string, source: string, opts: LintOptions = {}): Diagnostic[] {
    return this.run(source, opts, () => {
      const doc = this.documents.get(uri);
      if (doc && doc.state.source === source) {
        this.documents.delete(uri); // re-inserted as the most recent
        this.documents.set(uri, doc);
        return doc.model;
      }
      this.documents.delete(uri);
      // parseIncremental deletes the previous wasm tree whatever happens; on a throw the document is
      // simply forgotten and its next version parses from scratch.
      const state = this.parser.parseIncremental(source, doc?.state);
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

  private run(source: string, opts: LintOptions, modelOf: () => SemanticModel): Diagnostic[] {
    this.lastRuleErrors = [];
    const config = opts.config ?? DEFAULT_CONFIG;
    const active = this.rules.filter((r) => isEnabled(r.meta.code, config));
    if (active.length === 0 || !FRAMEWORK_MENTION.test(source)) return [];
    let ctx: RuleContext;
    try {
      const model = modelOf();
      ctx = new RuleContext(model.tree, model, opts.path);
    } catch (err) {
      this.lastRuleErrors.push({ code: 'parse', error: err instanceof Error ? err.message : String(err) });
      return [];
    }
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
