/**
 * The lint engine's public API. Pure: no `vscode`, no file system (except locating the wasm files).
 *
 *   const linter = await createLinter();           // loads tree-sitter once
 *   const diags = linter.lint(source, { path, config });   // synchronous, never throws
 *
 * One parse, one walk that builds the semantic model, then every enabled rule queries the model.
 */
import { posix } from 'node:path';
import { isEnabled, mergeConfig, parsePyprojectConfig, ConfigError } from './config';
import { ruleDocsMarkdown } from './docs';
import { applyFixes } from './fixes';
import { analysisBudgetDiagnostic, INTERNAL_ERROR, internalErrorDiagnostic } from './internal';
import { analysisClock, analysisIfComputed, analysisTuning, setAnalysisOptions } from './analysis';
import { addSuppressions, groupKey, groupText, groupUnits, keptUnits, lintGroupModel, restoreResult, storeResult, unitFacts, unitsOf, type GroupResult, type UnitFacts } from './incremental';
import { lineBreakOf, normalizeNewlines, withLineBreaks } from './newlines';
import { FACT_NAMES, type FileFact } from './facts';
import { isSuppressed, parseSuppressions, type Suppressions } from './noqa';
import { loadPythonParser, type IncrementalState, type OutlineState, type PythonParser } from './parser';
import { RuleContext, type RawDiagnostic, type Rule } from './rule';
import { ALL_RULES } from './rules';
import { SemanticModel } from './semantic';
import { dropNodeIndex, positionAt, rangeOf, type PyNode } from './tree';
import { appendixOrigin, WorkspaceImports, type Appendix, type WorkspaceFiles } from './workspace';
import { DEFAULT_CONFIG, type Diagnostic, type LintConfig, type Position, type Range, type RuleMeta } from './types';

export type { Diagnostic, LintConfig, RuleMeta, Fix, TextEdit, Range, Position, Severity, RelatedLocation, RuleDocs } from './types';
export { DEFAULT_CONFIG } from './types';
export { applyFixes, parsePyprojectConfig, mergeConfig, isEnabled, ruleDocsMarkdown, ConfigError };
export { INTERNAL_ERROR_CODE } from './internal';
export { normalizeNewlines } from './newlines';
export type { WorkspaceFiles } from './workspace';

export interface LintOptions {
  /** File path: in messages, and where the file's imports of `workspace` files resolve from (never read). */
  path?: string;
  config?: LintConfig;
  /**
   * The other files of the workspace, read on demand: with `path`, names the file imports from them
   * (`from models import Net`) are analysed as defined there (workspace.ts). Findings stay in this file.
   */
  workspace?: WorkspaceFiles;
}

/** What happened in the last `lint`/`lintDocument` call, beyond its diagnostics. */
export interface LintRun {
  /** Rule exceptions and parse failures (each is also an AGL000 diagnostic in the result). */
  internalErrors: { code: string; error: string }[];
  /** False when the text was not parsed: no rule enabled, or it never mentions a framework. */
  parsed: boolean;
  /** The text has a syntax error: what tree-sitter could not parse is not linted. */
  syntaxError: boolean;
  /**
   * Findings in helper functions of other workspace files that this file's use of them reveals (a NaN-prone
   * guard in a helper this file differentiates through), located in the helper's file (`path` as the workspace
   * knows it, positions in that file's text with `\n` line breaks), without fixes. That file linted alone cannot
   * report them; the command line adds them to that file's findings (`Engine.inLintedText`).
   */
  revealed?: RevealedDiagnostic[];
}

/** A finding of another workspace file, revealed by the linted file's use of it (`LintRun.revealed`). */
export interface RevealedDiagnostic {
  path: string;
  diagnostic: Diagnostic;
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
 * bound. So do the JAX libraries `flax`, `optax`, `equinox`, `jaxtyping`, `distrax` and `flowjax` (a bijection module
 * of a flow library may name only its own base class and array types), and Lightning (`lightning`, `pytorch_lightning`):
 * a LightningModule that never names torch can run another file's model in an evaluation hook. So do Captum and its
 * gradient attribution classes, which differentiate the forward function they are given (quoted without torch). So do the
 * optimizer calls `zero_grad` and `apply_gradients` (a training step quoted without its imports), the stop-gradients
 * `.detach()` and `stop_gradient` (a quantizer's straight-through step quoted alone), and a read of a tensor's `.grad` (a
 * manual update quoted on its own: `w = w - lr * w.grad`).
 */
const FRAMEWORK_MENTION = /\b(?:torch|tensorflow|jax|keras|functorch|tf_keras|flax|optax|equinox|jaxtyping|distrax|flowjax|autograd|backward|requires_grad|zero_grad|apply_gradients|GradientTape|gradients|jacobian|hessian|value_and_grad|jacfwd|jacrev|lightning|pytorch_lightning|captum|(?:Layer)?IntegratedGradients|GradientShap|DeepLift|LayerConductance|NoiseTunnel|stop_gradient)\b|\b(?:tf|jnp|K)\.\w|\bgrad\s*\(|\.detach\(\)|\w\.grad\b/;

/**
 * `cacheModels: false` keeps no model of `lint()`'s last sources (the command line, which lints each file
 * once: the kept models and their analyses only made the garbage collector's work larger).
 */
export async function createLinter(opts: { wasmDir?: string; cacheModels?: boolean } = {}): Promise<Linter> {
  const parser = await loadPythonParser(opts.wasmDir);
  return new Engine(parser, ALL_RULES, { cacheModels: opts.cacheModels });
}

/** Internal engine; `createLinter` is the public way in. Exported for tests that register extra rules. */
export class Engine implements Linter {
  /** Errors thrown by rules in the last lint (rule code → message); rules never break a lint. */
  lastRuleErrors: { code: string; error: string }[] = [];
  /**
   * Per-rule timing mode (off when null): set it to an empty map and every lint adds each rule's milliseconds
   * (wall, `performance.now()`) under its code, and the autograd analysis's under `(analysis)` (charged to
   * itself, not to the first rule that asks for it; what a rule computes lazily on the model besides the
   * analysis stays with that rule). `bench/lint/rule-times.ts` prints it over a directory.
   */
  ruleTimes: Map<string, number> | null = null;
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

  /** `lintDocument` re-lints by groups of statements (incremental.ts); false: always the whole file. */
  static relintByGroups = true;
  /** Lint a file of one group as a group too (tests: so that the group path is exercised on small files). */
  static relintSingleGroup = false;
  /**
   * About the last `lintDocument`'s re-lint by groups: how many groups, how many linted and reused, the
   * largest group's units, and why the whole file was linted instead (null: it was not).
   */
  lastRelint: { groups: number; linted: number; reused: number; largest: number; whole: string | null } = { groups: 0, linted: 0, reused: 0, largest: 0, whole: 'not tried' };
  /** Per document, for the re-lint by groups: the outline's live tree and each group's findings. */
  private readonly groupDocuments = new Map<string, GroupDocument>();
  private readonly unitCache = new Map<string, UnitFacts>();
  private unitCacheChars = 0;
  static readonly UNIT_CACHE_CHARS = 8_000_000;

  /** Whether `lint()` keeps the models of its last sources (`cache`); the results are the same either way. */
  private readonly cacheModels: boolean;

  constructor(
    private readonly parser: PythonParser,
    private readonly rules: readonly Rule[],
    opts: { cacheModels?: boolean } = {},
  ) {
    this.cacheModels = opts.cacheModels ?? true;
  }

  /** What files import from the workspace, appended after them for the analysis (workspace.ts). */
  private readonly workspaceImports = new WorkspaceImports((text) => this.parser.parse(text));

  lint(source: string, opts: LintOptions = {}): Diagnostic[] {
    const text = normalizeNewlines(source);
    const withImports = this.lintWithWorkspace(source, text, opts);
    if (withImports) return withImports;
    return this.run(source, text, opts, () => {
      let model = this.cache.get(text);
      if (model) {
        this.cache.delete(text); // re-inserted below as the most recent
        this.cachedChars -= text.length;
      } else model = new SemanticModel(this.parser.parse(text));
      if (!this.cacheModels || text.length > Engine.CACHE_CHARS) return model;
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
    // A file that imports workspace modules is linted with them, whole (no incremental parse or groups yet).
    const withImports = this.lintWithWorkspace(source, text, opts);
    if (withImports) return withImports;
    if (Engine.relintByGroups) {
      let grouped: Diagnostic[] | null = null;
      const out = this.runWith(source, text, () => {
        grouped = this.lintByGroups(uri, text, opts);
        return grouped ?? [];
      });
      if (grouped) return out;
    }
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

  /**
   * `lint` of a file that imports definitions from workspace files: its text with the definitions appended
   * (workspace.ts), findings only in its own text, messages naming the other file's lines. Null when it imports
   * nothing of the workspace, when the framework check or the rules say there is nothing to do, or when the
   * text has a syntax error (then it is linted alone, so that error recovery sees what the user wrote).
   */
  private lintWithWorkspace(source: string, text: string, opts: LintOptions): Diagnostic[] | null {
    if (!opts.workspace || opts.path === undefined || !FRAMEWORK_MENTION.test(text)) return null;
    let appendix: Appendix | null;
    let model: SemanticModel;
    try {
      appendix = this.workspaceImports.appendix(text, opts.path.replace(/\\/g, '/'), opts.workspace);
      if (!appendix) return null;
      const tree = this.parser.parse(text + appendix.hostSuffix + appendix.text);
      if (tree.hasError) return null;
      model = new SemanticModel(tree, { lintedLength: text.length + appendix.hostSuffix.length });
    } catch {
      return null; // linted alone, where a parse failure is reported as such
    }
    const a = appendix;
    setAnalysisOptions(model, { appendix: a });
    return this.runWith(source, text, () => this.runRules(text, opts, () => model, a));
  }

  /**
   * The findings of a text linted with workspace definitions appended (`lintWithWorkspace`), in the linted text:
   * - a finding there stays, and a message's `line N` that points into the appended part names the other file
   *   and its line instead; related locations and fixes in the appended part are dropped (fixes edit this file);
   * - a finding inside a helper function of another file (not a method: a model's `forward` reaches this file
   *   through the model's facts) is shown at this file's calls of it, when its rule is about what the caller
   *   passes, trains on or differentiates through (`SHOWN_AT_CALLS`) and that file linted alone does not report
   *   it: it arises from this file's use (a helper's graphless derivative that this file's loss trains on, a
   *   NaN-prone guard or squared norm in a helper this file's gradient goes through). What that file reports by
   *   itself is its own lint's, not repeated here; others are dropped (a finding of the helper's own code whose
   *   truth depends on flags and paths this file does not show).
   */
  private inLintedText(raw: readonly RawDiagnostic[], a: Appendix, model: SemanticModel, hostPath: string, files: WorkspaceFiles): RawDiagnostic[] {
    const tree = model.tree;
    const inHost = (line0: number): boolean => line0 < a.hostLines;
    const dir = hostPath.replace(/\\/g, '/').replace(/[^/]*$/, '');
    const name = (p: string): string => (dir && p.startsWith(dir) ? p.slice(dir.length) : p);
    const mapLines = (message: string): string =>
      message.replace(/\bline (\d+)\b/g, (m, n: string) => {
        const o = appendixOrigin(a, Number(n) - 1);
        return o ? `line ${o.line} of ${name(o.path)}` : m;
      });
    const calls = analysisIfComputed(model)?.workspaceCalls;
    // The calls in the linted text of the function of another file around an offset: of a helper function (not a
    // method: a model's forward reaches this file through the model's facts), or, for the NaN-prone guards the
    // caller's derivative goes through (`THROUGH_METHODS`), also of a method (a model's `forward`) and through the
    // other file's functions that call it (a module's `forward` calling a helper), a few calls deep.
    const appendStart = a.segments[0]!.start;
    /** The innermost function with recorded calls around an offset. */
    const enclosing = (offset: number): PyNode | null => {
      let fn: PyNode | null = null;
      for (const f of calls!.keys()) if (f.start <= offset && offset < f.end && (!fn || f.start >= fn.start)) fn = f;
      return fn;
    };
    // A derivative taken with recording off is shown at the calls made with recording off only (a helper the
    // training loop also calls records there).
    const offCalls = analysisIfComputed(model)?.workspaceOffCalls;
    const hostCalls = (offset: number, d: RawDiagnostic): PyNode[] => {
      const found = hostCallsOf(offset, d.meta.code);
      if (d.meta.code !== 'AGL009' || !offCalls) return found;
      // The place the message names (its first related location, when in this file).
      const cause = d.related[0] && inHost(d.related[0].range.start.line) ? d.related[0].range.start : null;
      const same = (n: PyNode | null): boolean => {
        if (!n || !cause) return !cause;
        const r = rangeOf(tree, n).start;
        return r.line === cause.line && r.column === cause.column;
      };
      return found.filter((c) => [...(offCalls.get(c) ?? [])].some(same));
    };
    const hostCallsOf = (offset: number, code: string): PyNode[] => {
      if (!calls) return [];
      const fn = enclosing(offset);
      if (!fn) return [];
      if (!THROUGH_METHODS.has(code)) return model.functionOf(fn)?.isMethod !== false ? [] : calls.get(fn)!.filter((c) => c.start < appendStart);
      const out = new Set<PyNode>();
      const seen = new Set<PyNode>([fn]);
      let level = [fn];
      for (let depth = 0; depth < 4 && level.length > 0; depth++) {
        const next: PyNode[] = [];
        for (const f of level) {
          for (const site of calls.get(f) ?? []) {
            if (site.start < appendStart) {
              out.add(site);
              continue;
            }
            const caller = enclosing(site.start);
            if (caller && !seen.has(caller)) {
              seen.add(caller);
              next.push(caller);
            }
          }
        }
        level = next;
      }
      return [...out].sort((x, y) => x.start - y.start);
    };
    const out: RawDiagnostic[] = [];
    for (const d of raw) {
      const related = d.related.filter((r) => inHost(r.range.start.line));
      if (inHost(d.range.start.line)) {
        const fixes = d.fixes.filter((f) => f.edits.every((e) => inHost(e.range.start.line) && inHost(e.range.end.line)));
        out.push({ ...d, message: mapLines(d.message), related, fixes });
        continue;
      }
      const origin = appendixOrigin(a, d.range.start.line);
      if (!origin || !SHOWN_AT_CALLS.has(d.meta.code)) continue;
      const sites = hostCalls(tree.lineStarts[d.range.start.line]! + d.range.start.column, d);
      if (sites.length === 0 || this.reportsAlone(files, origin.path, d.meta.code, origin.line)) continue;
      const first = tree.source.slice(sites[0]!.start, sites[0]!.end).split('\n')[0]!;
      const hostName = relativeName(origin.path, hostPath);
      const others = sites.length > 1 ? ` and ${sites.length - 1} other call${sites.length > 2 ? 's' : ''}` : '';
      this.revealedRaw.push({
        path: origin.path,
        d: {
          ...d,
          message: `Used by \`${first.length > 60 ? `${first.slice(0, 57)}...` : first}\` (line ${positionAt(tree.lineStarts, sites[0]!.start).line + 1} of ${hostName}${others}): ${this.linesFrom(d.message, a, origin.path, hostName)}`,
          related: [],
          fixes: [],
        },
      });
      for (const site of sites) {
        const callee = tree.source.slice(site.start, site.end).split('\n')[0]!;
        out.push({
          ...d,
          range: rangeOf(tree, site),
          message: `In \`${callee.length > 60 ? `${callee.slice(0, 57)}...` : callee}\` (line ${origin.line} of ${name(origin.path)}): ${mapLines(d.message)}`,
          related,
          fixes: [],
        });
      }
    }
    return out;
  }

  /** Raw findings of other files' helpers that the last `inLintedText` revealed (full-text positions). */
  private revealedRaw: { path: string; d: RawDiagnostic }[] = [];

  /** `line N` of a message as the file at `path` reads it: host lines name the host, appended lines their file. */
  private linesFrom(message: string, a: Appendix, path: string, hostName: string): string {
    return message.replace(/\bline (\d+)\b/g, (m, n: string) => {
      const line0 = Number(n) - 1;
      if (line0 < a.hostLines) return `line ${n} of ${hostName}`;
      const o = appendixOrigin(a, line0);
      if (!o) return m;
      return o.path === path ? `line ${o.line}` : `line ${o.line} of ${relativeName(path, o.path)}`;
    });
  }

  /**
   * The revealed findings of the last `inLintedText`, finished (suppression comments in the helper's lines
   * apply, duplicates of several calls merged) and moved to their file's positions: the appended lines are the
   * module's lines indented by four spaces (workspace.ts).
   */
  private finishRevealed(a: Appendix, suppressions: Suppressions, config: LintConfig): RevealedDiagnostic[] {
    const raw = this.revealedRaw;
    this.revealedRaw = [];
    if (raw.length === 0) return [];
    const out: RevealedDiagnostic[] = [];
    for (const d of finishDiagnostics(raw.map((r) => r.d), suppressions, config, null)) {
      const path = raw.find((r) => r.d.range === d.range && r.d.meta.code === d.code)?.path ?? null;
      if (path === null) continue;
      const at = (p: Position): Position | null => {
        const o = appendixOrigin(a, p.line);
        return o ? { line: o.line - 1, column: Math.max(0, p.column - 4) } : null;
      };
      const start = at(d.range.start);
      if (!start) continue;
      const end = at(d.range.end) ?? start;
      out.push({ path, diagnostic: { ...d, range: { start, end }, related: [], fixes: [] } });
    }
    return out;
  }

  /** Per workspace file read for `reportsAlone`: its text and the `code:line` of what its own lint reports. */
  private readonly aloneFindings = new Map<string, { text: string; found: Set<string> }>();

  /** Whether the workspace file at `path`, linted by itself, reports `code` at `line` (1-based). */
  private reportsAlone(files: WorkspaceFiles, path: string, code: string, line: number): boolean {
    const text = files.read(path);
    if (text === null) return false;
    let known = this.aloneFindings.get(path);
    if (!known || known.text !== text) {
      const saved = { errors: this.lastRuleErrors, run: this.lastRun };
      try {
        known = { text, found: new Set(this.lint(text, { path }).map((d) => `${d.code}:${d.range.start.line + 1}`)) };
      } finally {
        this.lastRuleErrors = saved.errors;
        this.lastRun = saved.run;
      }
      this.aloneFindings.set(path, known);
      if (this.aloneFindings.size > 256) this.aloneFindings.delete(this.aloneFindings.keys().next().value as string);
    }
    return known.found.has(`${code}:${line}`);
  }

  forget(uri: string): void {
    const grouped = this.groupDocuments.get(uri);
    if (grouped) {
      this.groupDocuments.delete(uri);
      grouped.outline.wasm.delete();
    }
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
    return this.runWith(source, text, () => this.runRules(text, opts, modelOf));
  }

  private runWith(source: string, text: string, inner: () => Diagnostic[]): Diagnostic[] {
    this.lastRuleErrors = [];
    this.lastRun = { internalErrors: this.lastRuleErrors, parsed: false, syntaxError: false };
    const firstLine = (): Diagnostic['range'] => {
      const m = /[\r\n]/.exec(text);
      return { start: { line: 0, column: 0 }, end: { line: 0, column: m ? m.index : text.length } };
    };
    try {
      const out = inner();
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

  /**
   * `lintDocument` by groups of statements (incremental.ts; docs/lint-engine.md, "Re-lint by groups of
   * statements"): the groups whose text did not change keep their findings. Null when the document must be
   * linted whole (a syntax error, a rule that throws, an analysis out of budget, a JAX-style snippet): the
   * caller then does, so the result is always that of `lint`.
   */
  private lintByGroups(uri: string, text: string, opts: LintOptions): Diagnostic[] | null {
    this.lastRelint = { groups: 0, linted: 0, reused: 0, largest: 0, whole: 'not tried' };
    const r = this.lintByGroupsInner(uri, text, opts);
    if (r) this.lastRelint.whole = null;
    return r;
  }

  private lintByGroupsInner(uri: string, text: string, opts: LintOptions): Diagnostic[] | null {
    const config = opts.config ?? DEFAULT_CONFIG;
    const active = this.rules.filter((r) => isEnabled(r.meta.code, config));
    const whole = (why: string): null => {
      this.lastRelint.whole = why;
      return null;
    };
    if (active.length === 0 || !FRAMEWORK_MENTION.test(text)) return whole('nothing to lint');
    if (analysisTuning.budget !== undefined) return whole('fixed analysis budget');
    const doc = this.groupDocuments.get(uri);
    this.groupDocuments.delete(uri);
    let outline: OutlineState;
    try {
      outline = this.parser.parseOutline(text, doc?.outline);
    } catch {
      return whole('parse failed'); // (parseOutline deleted the previous tree)
    }
    const entry: GroupDocument = { outline, results: doc?.results ?? new Map(), linkWords: doc?.linkWords ?? new Map(), linkFacts: doc?.linkFacts ?? new Map(), linkModules: doc?.linkModules ?? new Set() };
    this.groupDocuments.set(uri, entry);
    if (this.groupDocuments.size > Engine.MAX_DOCUMENTS) this.forget(this.groupDocuments.keys().next().value as string);
    if (outline.hasError) return whole('syntax error');
    if (outline.statements.length === 0) return whole('no statements');
    // tree-sitter accepts an indented line after a dedent as a top-level statement; blanking the statement
    // before it in a group's file would put it back into the block above.
    const indented = outline.statements.some((st) => /^[ \t\f]+$/.test(text.slice(outline.lineStarts[st.startRow], st.start)));
    if (indented) return whole('indented top-level statement');
    const units = unitsOf(outline, (t) => this.unitFactsOf(t));
    if (units.some((u) => u.facts.hasError)) return whole('syntax error in a statement alone');
    if (units.some((u) => u.facts.mayEndModule)) return whole('module-level return, raise or endless loop');
    const called = new Set<string>();
    let nodes = 1;
    let wholeFacts = 0;
    for (const u of units) {
      wholeFacts |= u.facts.facts;
      for (const n of u.facts.called) called.add(n);
      nodes += u.facts.nodes;
    }
    const budget = 200_000 + 60 * nodes;
    const ruleIndex = new Map(active.map((r, i) => [r.meta.code, i]));
    for (let round = 0; round < 8; round++) {
      const grouping = groupUnits(units, entry.linkWords, entry.linkFacts, entry.linkModules);
      const groups = grouping.groups;
      // One group is the whole file: its incremental parse is cheaper than a parse of the group's file.
      if (groups.length === 1 && !Engine.relintSingleGroup) return whole('one group');
      this.lastRelint = { groups: groups.length, linted: 0, reused: 0, largest: Math.max(...groups.map((g) => g.length)), whole: 'not tried' };
      const next = new Map<string, GroupResult>();
      const collected: { rule: number; d: RawDiagnostic }[] = [];
      let steps = 0;
      let relink = false;
      for (const g of groups) {
        const kept = keptUnits(units, g, grouping);
        const key = groupKey(units, kept, g, called);
        let res = next.get(key) ?? entry.results.get(key);
        if (res?.pinned && !res.pinned.every((l, j) => units[kept[j]].first === l)) res = undefined;
        let probes: readonly string[];
        let facts: readonly FileFact[];
        let modules: readonly string[];
        if (res) {
          this.lastRelint.reused++;
          collected.push(...restoreResult(res, units, kept));
          steps += res.steps;
          probes = res.probes;
          facts = res.facts;
          modules = res.modules;
          next.set(key, res);
        } else {
          const r = lintGroupModel(this.parser, groupText(text, outline.lineStarts, units, kept), called, (m) =>
            this.checkRules(m, active, opts.path).map((d) => ({ rule: ruleIndex.get(d.meta.code)!, d })),
          );
          this.lastRelint.linted++;
          if (this.lastRuleErrors.length > 0 || r.incomplete || r.hasError) {
            this.lastRuleErrors.length = 0;
            return whole(r.incomplete ? 'analysis out of budget' : r.hasError ? 'syntax error in a group' : 'a rule threw');
          }
          collected.push(...r.raw);
          steps += r.steps;
          probes = r.probes;
          facts = r.facts;
          modules = r.modules;
          const stored = storeResult(r.raw, units, kept, r.steps, r.probes, r.facts, r.modules);
          if (stored) next.set(key, stored);
        }
        // A whole-file fact read that the group's file lacks: the group's units join a unit that has it.
        let groupFacts = 0;
        for (const i of kept) groupFacts |= units[i].facts.facts;
        for (const f of facts) {
          const bit = 1 << FACT_NAMES.indexOf(f);
          if ((groupFacts & bit) === (wholeFacts & bit)) continue;
          // (Grouping with these readers already should have given the group's file the fact.)
          if (!noteGroupUnits(entry.linkFacts, f, g, units)) return whole('a fact read outside its group');
          relink = true;
        }
        const inFile = new Set(kept);
        // A rule asked for a module's local alias that an import outside the group's file binds: every
        // group's file keeps the imports of that module.
        for (const q of modules) {
          if (entry.linkModules.has(q) || !units.some((u, i) => !inFile.has(i) && u.facts.modules.includes(q))) continue;
          entry.linkModules.add(q);
          relink = true;
        }
        // A rule read every occurrence of a word: the units outside the group's file that contain it join it.
        for (const w of probes) {
          if (!units.some((u, i) => !inFile.has(i) && u.facts.words.has(w))) continue;
          // (Grouping with these probers already should have put the word's units in the file.)
          if (!noteGroupUnits(entry.linkWords, w, g, units)) return whole('a probed word outside its group');
          relink = true;
        }
      }
      if (relink) {
        entry.results = next;
        continue;
      }
      // The whole file's analysis would have run out of budget only if the groups' steps together come near it.
      if (steps > 0.9 * budget) return whole('near the analysis budget');
      entry.results = next;
      this.lastRun.parsed = true;
      let suppressions: Suppressions = { lines: new Map(), file: null };
      for (const u of units) suppressions = addSuppressions(suppressions, u.facts.suppressions, u.first);
      // Rule by rule, as one run over the file reports them (duplicates keep the first).
      const ordered = collected.map((c, i) => ({ ...c, i })).sort((a, b) => a.rule - b.rule || a.i - b.i);
      return finishDiagnostics(
        ordered.map((c) => c.d),
        suppressions,
        config,
        null,
      );
    }
    return whole('groups did not settle');
  }

  /** A unit's facts, once per distinct text (kept for all documents, at most `UNIT_CACHE_CHARS`). */
  private unitFactsOf(text: string): UnitFacts {
    let f = this.unitCache.get(text);
    if (!f) {
      f = unitFacts(this.parser, text);
      if (this.unitCacheChars + text.length > Engine.UNIT_CACHE_CHARS) {
        this.unitCache.clear();
        this.unitCacheChars = 0;
      }
      this.unitCache.set(text, f);
      this.unitCacheChars += text.length;
    }
    return f;
  }

  private runRules(text: string, opts: LintOptions, modelOf: () => SemanticModel, appendix: Appendix | null = null): Diagnostic[] {
    const config = opts.config ?? DEFAULT_CONFIG;
    const active = this.rules.filter((r) => isEnabled(r.meta.code, config));
    if (active.length === 0 || !FRAMEWORK_MENTION.test(text)) return [];
    let model: SemanticModel;
    const t0 = this.ruleTimes ? performance.now() : 0;
    try {
      model = modelOf();
      if (this.ruleTimes) this.ruleTimes.set('(parse and model)', (this.ruleTimes.get('(parse and model)') ?? 0) + performance.now() - t0);
    } catch (err) {
      this.lastRuleErrors.push({ code: 'parse', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return [];
    }
    this.lastRun.parsed = true;
    this.lastRun.syntaxError = model.tree.hasError;
    let raw = this.checkRules(model, active, opts.path);
    const tree = model.tree;
    const suppressions = parseSuppressions(tree);
    if (appendix && opts.workspace) {
      this.revealedRaw = [];
      raw = this.inLintedText(raw, appendix, model, opts.path ?? '', opts.workspace);
      this.lastRun.revealed = this.finishRevealed(appendix, suppressions, config);
    }
    const analysis = analysisIfComputed(model);
    const budgetNote = analysis?.incomplete
      ? analysisBudgetDiagnostic(analysis.stoppedAt ? positionAt(tree.lineStarts, analysis.stoppedAt.start).line + 1 : 1, tree.lineStarts.length, {
          start: { line: 0, column: 0 },
          end: { line: 0, column: Math.max(0, (tree.lineStarts[1] ?? text.length + 1) - 1) },
        })
      : null;
    return finishDiagnostics(raw, suppressions, config, budgetNote);
  }

  /**
   * Every active rule on `model`, in order: their reports, before suppressions, duplicates and sorting
   * (`finishDiagnostics`). A rule that throws reports nothing and its error goes to `lastRuleErrors`.
   */
  checkRules(model: SemanticModel, active: readonly Rule[], path: string | undefined): RawDiagnostic[] {
    const ctx = new RuleContext(model.tree, model, path);
    const times = this.ruleTimes;
    if (times) analysisClock.on = true;
    for (const rule of active) {
      ctx.meta = rule.meta;
      const before = ctx.diagnostics.length;
      const t0 = times ? performance.now() : 0;
      const a0 = analysisClock.ms;
      try {
        rule.check(ctx);
      } catch (err) {
        ctx.diagnostics.length = before; // a crashing rule reports nothing rather than half its findings
        this.lastRuleErrors.push({ code: rule.meta.code, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
      if (times) {
        const inAnalysis = analysisClock.ms - a0;
        times.set(rule.meta.code, (times.get(rule.meta.code) ?? 0) + performance.now() - t0 - inAnalysis);
        if (inAnalysis > 0) times.set('(analysis)', (times.get('(analysis)') ?? 0) + inAnalysis);
      }
    }
    if (times) analysisClock.on = false;
    ctx.meta = null;
    dropNodeIndex(model.tree);
    return ctx.diagnostics;
  }
}

interface GroupDocument {
  outline: OutlineState;
  results: Map<string, GroupResult>;
  linkWords: Map<string, Set<string>>;
  linkFacts: Map<FileFact, Set<string>>;
  linkModules: Set<string>;
}

/**
 * Rules whose finding inside another file's helper is shown at the linted file's call (`Engine.inLintedText`):
 * those about the values the caller passes and what it does with the result — a derivative without a graph that
 * the caller trains on (AGL001), a cut (AGL002), a non-scalar output (AGL005), recording off where the caller
 * calls it (AGL009), integer inputs (AGL012), a freed graph (AGL019), an input not in the graph (AGL024) — and
 * the NaN-prone guards and squared norms (AGL017, AGL022) of a helper the caller's derivative goes through: the
 * helper's file, which never differentiates it, cannot see them (a library's conversions, a potential); and a
 * second derivative through an operation without a double backward (AGL026), which the rule reports at the
 * derivative when the operation is in another file, so that it is shown here when that derivative is in a helper
 * this file calls. Not those
 * about the helper's own code whatever the caller does (in-place changes): those are the other file's to report.
 */
const SHOWN_AT_CALLS = new Set(['AGL001', 'AGL002', 'AGL005', 'AGL009', 'AGL012', 'AGL017', 'AGL019', 'AGL022', 'AGL024', 'AGL026']);

/**
 * Of those, the NaN-prone guards and squared norms, which are shown also when they sit in a method of another file's
 * class (a model's `forward` the caller differentiates through) or in a function that file's functions call on the
 * way: where the guard is does not change what the caller's derivative meets. So for a derivative taken with recording
 * off (AGL009): a force model's `forward` called under the caller's `no_grad` fails wherever its `grad` sits.
 */
const THROUGH_METHODS = new Set(['AGL002', 'AGL009', 'AGL017', 'AGL022']);

/** `target` as named from the file at `from`: relative to its folder (`../train.py`), both paths of one workspace. */
function relativeName(from: string, target: string): string {
  const f = from.replace(/\\/g, '/');
  const t = target.replace(/\\/g, '/');
  // One absolute, one relative: no common root to count from.
  if (f.startsWith('/') !== t.startsWith('/')) return target;
  return posix.relative(posix.dirname(f), t);
}

/** Whether two findings are one: the same code starting at the same place (a revealed finding and a file's own). */
export function sameFinding(a: { code: string; range: Range }, b: { code: string; range: Range }): boolean {
  return a.code === b.code && a.range.start.line === b.range.start.line && a.range.start.column === b.range.start.column;
}

/** Suppressions, duplicates (the first report of a code at a range is kept), severities, then sorted. */
export function finishDiagnostics(raw: readonly RawDiagnostic[], suppressions: Suppressions, config: LintConfig, budgetNote: Diagnostic | null): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const d of raw) {
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

/** Notes the texts of group `g`'s units under `key` (the units that read a fact or probed a word); false when all were noted. */
function noteGroupUnits<K>(links: Map<K, Set<string>>, key: K, g: readonly number[], units: readonly { readonly text: string }[]): boolean {
  let texts = links.get(key);
  if (!texts) links.set(key, (texts = new Set()));
  let added = false;
  for (const i of g) {
    if (texts.has(units[i]!.text)) continue;
    texts.add(units[i]!.text);
    added = true;
  }
  return added;
}
