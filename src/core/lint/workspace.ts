/**
 * Imports across the files of a workspace: a model defined in `models.py` and trained in `train.py`, a
 * derivative helper in `utils.py`. Pure (no file system): the caller gives a `WorkspaceFiles` that reads.
 *
 * How the analysis sees another file: the definitions the linted file imports from a workspace module (and
 * the top-level statements of that module they need: its imports, base classes, helpers, constants) are
 * appended after the linted text, each module inside a function of its own that returns its names:
 *
 *     <the linted text>
 *     def __autograd_lens_workspace_0__():
 *         import torch.nn as nn                   # the module's statements, indented, in their order
 *         class Net(nn.Module): ...
 *         return {'Net': Net}
 *
 * One parse, one semantic model and one analysis then see both files: the module's names are local to its
 * function, so they cannot clash with the linted file's, and the interpreter binds `from models import Net`
 * to what that function returns (`Interpreter.execImport`). Everything after the linted text is only context:
 * the engine drops findings located there and writes the other file's name and line into messages that point
 * there (`Engine.lint`). Offsets in the linted text do not move, so its positions and fixes are unchanged.
 *
 * Bounded: at most `MAX_MODULES` modules, `MAX_LINES` appended lines and `MAX_DEPTH` levels of imports of
 * imports per linted file; what a budget leaves out is simply not seen (an import of it stays a library name).
 */
import type { PyNode, PyTree } from './tree';
import { field, namedChildren, positionAt, walk } from './tree';
import { normalizeNewlines } from './newlines';

/** The files a linted file may import. */
export interface WorkspaceFiles {
  /** The text of the file at `path` (`/`-separated, in the same space as the linted file's path), or null when there is none. */
  read(path: string): string | null;
}

/** What is appended after a linted text, and how to read positions in it back. */
export interface Appendix {
  /** The text appended after the linted text (which is given a final line break first, `hostSuffix`). */
  readonly text: string;
  /** `\n` when the linted text does not end with a line break, else empty. */
  readonly hostSuffix: string;
  /** Lines of the linted text (0-based index of the appendix's first line). */
  readonly hostLines: number;
  /**
   * For an import statement: `${segment}|${module as written}` → the name of the function that stands for that
   * module, where `segment` is -1 for the linted text and otherwise the index of the appended module whose
   * text holds the statement (relative imports resolve from that module's file).
   */
  readonly modules: ReadonlyMap<string, string>;
  /** The appended modules in order: where each starts in the full text, its path, and its lines' origins. */
  readonly segments: readonly AppendixSegment[];
}

export interface AppendixSegment {
  /** Offset of the segment's first character in the full text (linted text + suffix + appendix). */
  readonly start: number;
  /** The module's path as `WorkspaceFiles` knows it. */
  readonly path: string;
  /** First line (0-based, in the full text) of the segment. */
  readonly firstLine: number;
  /** For each line of the segment from `firstLine`: the 1-based line of the module it comes from (0: generated). */
  readonly lines: readonly number[];
}

export const WORKSPACE_FUNCTION_PREFIX = '__autograd_lens_workspace_';

const MAX_MODULES = 12;
const MAX_LINES = 600;
/** A module whose needed statements are longer than this is left out (a framework's own base classes, not a model). */
const MAX_MODULE_LINES = 400;
const MAX_DEPTH = 3;

/**
 * Packages an import of which is not followed into their source even when the workspace holds it (linting the
 * library itself): the frameworks, whose operations run outside Python or through backends and whose behaviour the
 * knowledge tables state (`torch.distributions.Beta(...).sample()` has no graph: read from source, PyTorch's own
 * files gave two false warnings), and libraries whose knowledge says how they run user code (Lightning's hooks,
 * DeepXDE's backends, ODE solvers' adjoints, Hugging Face tokenizers). Pure-Python libraries built on a framework
 * (captum, higher, learn2learn, attack libraries) are read from source when they are in the workspace.
 */
const KNOWN_LIBRARIES = new Set([
  'torch', 'torchvision', 'torchaudio', 'functorch', 'tensorflow', 'keras', 'tf_keras', 'jax', 'jaxlib', 'flax', 'optax',
  'equinox', 'haiku', 'numpy', 'scipy', 'sklearn', 'transformers', 'lightning', 'pytorch_lightning', 'deepxde',
  'diffrax', 'torchdiffeq',
]);

/**
 * What an imported definition must look like to be worth appending: a class whose bases name a module, model,
 * layer, network, block, cell or autograd Function (`nn.Module`, `LightningModule`, `keras.Model`, a project's
 * `BaseNet`), or a function that differentiates, cuts or switches recording (a derivative helper) or computes
 * with tensors in a few lines (`torch.cat`: whether its result is a leaf). Other
 * names (constants, utilities, base classes of a framework's own code) add parse and analysis time and nothing a
 * rule asks about; they stay library names.
 */
const MODEL_BASES = /Module|Model|Layer|Function|Net|Block|Cell/;
/** A tensor function that names no autograd operation is appended only when it is this short (a helper, not a library's routine). */
const SMALL_FUNCTION_LINES = 40;

/** A function's text worth appending: it names an autograd operation, or is a short one that computes with a framework's tensors. */
function tensorFunction(t: string): boolean {
  return AUTOGRAD_WORDS.test(t) || ((FRAMEWORK_CALL.test(t) || NORMALIZING.test(t)) && countLines(t) < SMALL_FUNCTION_LINES);
}
/**
 * A short helper that normalizes data (`scaler.transform(x)`, `(x - mean) / std`): the data it returns may become the
 * point a derivative is taken at in the importing file (AGL003), so its definition is worth appending.
 */
const NORMALIZING = /\.(?:fit_)?transform\(|\(\s*[\w.[\]]+\s*-\s*[\w.[\]]+\s*\)\s*\//;
/** A class's text worth appending when it is imported by name: it computes with a framework and names an autograd operation. */
function tensorClassText(t: string): boolean {
  return FRAMEWORK_CALL.test(t) && AUTOGRAD_WORDS.test(t);
}
const LOSS_CLASS = /Loss|Criterion/;
const FRAMEWORK_CALL = /\b(?:torch|tf|jnp|jax|F|nn|K|keras)\.\w/;
const AUTOGRAD_WORDS = /\b(?:grad|backward|jacobian|jacrev|jacfwd|hessian|vjp|jvp|hvp|GradientTape|gradient|gradients|detach|no_grad|inference_mode|enable_grad|set_grad_enabled|stop_gradient|requires_grad|requires_grad_|numpy|item|custom_vjp|custom_jvp|custom_gradient|value_and_grad|vmap|odeint|checkpoint)\b/;

/** One top-level statement of a module: the names it binds and the names it reads (over-approximated). */
interface TopStatement {
  readonly firstLine: number; // 0-based
  readonly lastLine: number;
  readonly defines: readonly string[];
  readonly uses: ReadonlySet<string>;
  /** Its import statements (also nested in `if`/`try` at top level): module as written and the names bound. */
  readonly imports: readonly ImportOf[];
  /** A class whose bases look like a model's (`MODEL_BASES`), or a function that names an autograd operation or is a short tensor function. */
  readonly relevant: boolean;
  /** Of those, a model class or a function that names an autograd operation (what a module imported whole gives). */
  readonly model: boolean;
}

interface ImportOf {
  readonly module: string;
  /** Imported names (`from m import a, b`), or null for `import m` / `from m import *`. */
  readonly names: readonly string[] | null;
}

/** A module's top-level statements and lines, computed once per text. */
interface ModuleIndex {
  readonly lines: readonly string[];
  readonly statements: readonly TopStatement[];
}

/**
 * Builds appendices; keeps an index of each module text it read (the CLI lints many files that import the same
 * few modules). `parse` is the engine's parser.
 */
export class WorkspaceImports {
  private readonly indexes = new Map<string, ModuleIndex>();
  private indexedChars = 0;
  static readonly INDEX_CHARS = 20_000_000;

  constructor(private readonly parse: (text: string) => PyTree) {}

  /** The appendix for `host` (the linted text, newlines normalized) at `hostPath`, or null when it imports nothing of the workspace. */
  appendix(host: string, hostPath: string, files: WorkspaceFiles): Appendix | null {
    const hostImports = scanImports(host);
    if (hostImports.length === 0) return null;
    const hostSuffix = host.length === 0 || host.endsWith('\n') ? '' : '\n';
    const hostLines = countLines(host + hostSuffix);
    const modules = new Map<string, string>();
    const segments: AppendixSegment[] = [];
    let text = '';
    let lines = 0;
    const done = new Map<string, string>(); // module path → function name
    // Breadth first: the linted file's own imports before imports of imports.
    const queue: { from: string; segment: number; imports: readonly ImportOf[]; depth: number }[] = [{ from: hostPath, segment: -1, imports: hostImports, depth: 0 }];
    while (queue.length > 0) {
      const { from, segment, imports, depth } = queue.shift()!;
      for (const imp of imports) {
        if (segments.length >= MAX_MODULES) break;
        const key = `${segment}|${imp.module}`;
        if (modules.has(key)) continue;
        // A library the analysis knows by name (`from torch.distributions import Beta` inside PyTorch's own sources,
        // `from deepxde.backend import tf` in DeepXDE's examples): its knowledge describes it better than its code.
        if (!imp.module.startsWith('.') && KNOWN_LIBRARIES.has(imp.module.split('.')[0]!)) continue;
        // `from pkg import sub` of a submodule: `sub` is the module `pkg.sub`.
        for (const n of imp.names ?? []) {
          const sub = submoduleName(imp.module, n);
          if (resolveModule(from, sub, files) !== null) queue.push({ from, segment, imports: [{ module: sub, names: null }], depth });
        }
        const path = resolveModule(from, imp.module, files);
        if (!path || path === hostPath) continue;
        const known = done.get(path);
        if (known) {
          modules.set(key, known);
          continue;
        }
        // A package imported whole (`import torch` inside PyTorch's own sources, `import mypkg`): its `__init__.py`
        // is a hub of re-exports and setup, not where a project's models are; only a module file is followed.
        if (!imp.names && path.endsWith('__init__.py')) continue;
        const source = files.read(path);
        if (source === null || !(mayDefineRelevant(source, imp.names) || mayReexport(source, imp.names))) continue;
        const index = this.indexOf(normalizeNewlines(source));
        if (!index) continue;
        // A module imported whole gives its models and its autograd helpers (not every short tensor function: a
        // library's modules have hundreds); names imported one by one are followed when relevant at all.
        // A name the module re-exports from another module of the workspace (`from .net import Net` in a package's
        // `__init__.py`) is wanted too: its import runs inside the appended module and is followed from there.
        const reexported = (n: string): boolean => index.statements.some((s) => s.defines.includes(n) && s.imports.some((i) => i.names?.includes(n) && resolveModule(path, i.module, files) !== null));
        const wanted = (imp.names ?? index.statements.filter((s) => s.model).flatMap((s) => s.defines)).filter((n) => index.statements.some((s) => s.relevant && s.defines.includes(n)) || (imp.names !== null && reexported(n)));
        const picked = pick(index, wanted);
        if (picked.length === 0) continue;
        if (picked.reduce((n, s) => n + s.lastLine - s.firstLine + 1, 0) > MAX_MODULE_LINES) continue;
        const exported = [...new Set(picked.flatMap((s) => s.defines))].filter((n) => /^[A-Za-z_]\w*$/.test(n)).sort();
        const name = `${WORKSPACE_FUNCTION_PREFIX}${segments.length}__`;
        const body: string[] = [];
        const origin: number[] = [];
        body.push(`def ${name}():`);
        origin.push(0);
        for (const s of picked) {
          for (let l = s.firstLine; l <= s.lastLine; l++) {
            body.push(`    ${index.lines[l]}`);
            origin.push(l + 1);
          }
        }
        body.push(`    return {${exported.map((n) => `'${n}': ${n}`).join(', ')}}`);
        origin.push(0);
        if (lines + body.length > MAX_LINES) continue;
        const start = host.length + hostSuffix.length + text.length;
        segments.push({ start, path, firstLine: hostLines + lines, lines: origin });
        text += `${body.join('\n')}\n`;
        lines += body.length;
        modules.set(key, name);
        done.set(path, name);
        if (depth + 1 < MAX_DEPTH) {
          const nested = picked.flatMap((s) => s.imports);
          if (nested.length > 0) queue.push({ from: path, segment: segments.length - 1, imports: nested, depth: depth + 1 });
        }
      }
    }
    if (segments.length === 0) return null;
    return { text, hostSuffix, hostLines, modules, segments };
  }

  private indexOf(text: string): ModuleIndex | null {
    const cached = this.indexes.get(text);
    if (cached) return cached;
    let tree: PyTree;
    try {
      tree = this.parse(text);
    } catch {
      return null;
    }
    // A module that does not parse is left out: its statements cannot be cut out reliably.
    if (tree.hasError) return null;
    const index: ModuleIndex = { lines: text.split('\n'), statements: topStatements(tree) };
    this.indexes.set(text, index);
    this.indexedChars += text.length;
    while (this.indexedChars > WorkspaceImports.INDEX_CHARS && this.indexes.size > 1) {
      const oldest = this.indexes.keys().next().value as string;
      this.indexes.delete(oldest);
      this.indexedChars -= oldest.length;
    }
    return index;
  }
}

/** The line (1-based) and path a full-text line (0-based) comes from, when it is in the appendix. */
export function appendixOrigin(a: Appendix, line0: number): { path: string; line: number } | null {
  if (line0 < a.hostLines) return null;
  for (let i = a.segments.length - 1; i >= 0; i--) {
    const s = a.segments[i]!;
    if (line0 >= s.firstLine) {
      const l = s.lines[line0 - s.firstLine];
      return l ? { path: s.path, line: l } : null;
    }
  }
  return null;
}

/** The segment an offset of the full text lies in (-1: the linted text). */
export function segmentAt(a: Appendix, offset: number): number {
  for (let i = a.segments.length - 1; i >= 0; i--) if (offset >= a.segments[i]!.start) return i;
  return -1;
}

/**
 * A cheap test before parsing a module: whether one of `names` (null: any name) may be defined at its top level as
 * a relevant statement (`MODEL_BASES`, `AUTOGRAD_WORDS`, a loss class), read from the text. It may say yes wrongly (the parse then
 * decides) but says no only when no such definition starts a line: a class line with model-like bases, or a `def`
 * whose lines up to the next top-level line name an autograd operation.
 */
/** Whether the text after some match of `header` (a global regex), up to the next top-level line, passes `test`. */
function someBlock(text: string, header: RegExp, test: (block: string) => boolean): boolean {
  for (let m = header.exec(text); m; m = header.exec(text)) {
    const rest = text.slice(m.index + m[0].length);
    const end = rest.search(/\n(?=[^\s#)\]}])/); // a signature closed on its own line is not the next statement
    if (test(end < 0 ? rest : rest.slice(0, end))) return true;
  }
  return false;
}


function mayDefineRelevant(text: string, names: readonly string[] | null): boolean {
  const name = names ? `(?:${names.map((n) => n.replace(/[^\w]/g, '')).join('|')})` : '\\w+';
  const cls = new RegExp(`^class[ \\t]+${name}\\b[ \\t]*\\(([^)]*)\\)`, 'gm');
  for (let m = cls.exec(text); m; m = cls.exec(text)) if (MODEL_BASES.test(m[1]!)) return true;
  const lossCls = new RegExp(`^class[ \\t]+(${name})\\b`, 'gm');
  for (let m = lossCls.exec(text); m; m = lossCls.exec(text)) if (LOSS_CLASS.test(m[1]!) && FRAMEWORK_CALL.test(text)) return true;
  if (names) {
    // A plain class imported by name that computes with tensors (`tensorClassText`), its block up to the next top-level line.
    const anyCls = new RegExp(`^class[ \\t]+${name}[ \\t]*(?:\\([ \\t]*(?:object[ \\t]*)?\\))?[ \\t]*:`, 'gm');
    if (someBlock(text, anyCls, tensorClassText)) return true;
  }
  if (someBlock(text, new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${name}\\b`, 'gm'), tensorFunction)) return true;
  // A name bound by an import in the module (`from .layers import Block` re-exported) is followed only when it is
  // defined here; other bindings (assignments) of a wanted name do not make it a model.
  return false;
}

/** A cheap test before parsing: whether a line `from ... import ...` of the text names one of `names` (a re-export). */
function mayReexport(text: string, names: readonly string[] | null): boolean {
  if (!names) return false;
  const re = /^[ \t]*from[ \t]+\S+[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const listed = m[1]!.replace(/[()\\#]/g, ' ').split(/[\s,]+/);
    if (names.some((n) => listed.includes(n))) return true;
  }
  return false;
}

// ------------------------------------------------------------------------------------ module resolution

/**
 * The workspace file a module name refers to from the file at `from`: relative imports (`.models`, `..utils`)
 * from `from`'s package; absolute ones (`models`, `pkg.models`) from `from`'s directory and each directory
 * above it (a script's directory is on `sys.path`, a repository's root usually is too). `m.py` before
 * `m/__init__.py`, as Python prefers neither but a package and a module of one name cannot both exist.
 */
export function resolveModule(from: string, module: string, files: WorkspaceFiles): string | null {
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots);
  if (rest !== '' && !/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(rest)) return null;
  const parts = rest === '' ? [] : rest.split('.');
  const dir = dirname(from);
  const candidates = (base: string): string[] => {
    const p = [base, ...parts].filter((x) => x !== '').join('/');
    const lead = base.startsWith('/') && !p.startsWith('/') ? '/' : '';
    return parts.length === 0 ? [`${lead}${p}/__init__.py`] : [`${lead}${p}.py`, `${lead}${p}/__init__.py`];
  };
  if (dots > 0) {
    let base = dir;
    for (let i = 1; i < dots; i++) base = dirname(base);
    for (const c of candidates(base)) if (files.read(c) !== null) return c;
    return null;
  }
  if (parts.length === 0) return null;
  for (let base = dir; ; base = dirname(base)) {
    for (const c of candidates(base)) if (files.read(c) !== null) return c;
    const up = dirname(base);
    if (up === base) break;
  }
  return null;
}

/** The module `name` of package `module` (`pkg` + `ops` → `pkg.ops`, `.` + `ops` → `.ops`). */
export function submoduleName(module: string, name: string): string {
  return `${module}${module.endsWith('.') ? '' : '.'}${name}`;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '';
  return i === 0 ? '/' : p.slice(0, i);
}

// ------------------------------------------------------------------------------------ the linted file's imports

/**
 * The imports of a text, found line by line: `from m import a, b` (parenthesized lists over several lines too,
 * `*`), `import m` and `import a.b as x` (the module's names read as attributes, `m.Net`). Which modules to
 * append: it only chooses what to append; the interpreter binds names from the import statements the parser
 * finds, so an import this scan misses is only not followed. `import a.b` (without `as`) binds the package `a`,
 * whose attribute `b` is the module: the module `a.b` is followed.
 */
export function scanImports(text: string): ImportOf[] {
  const out: ImportOf[] = [];
  // `import m`, `import a.b as x`, `import a.b` (names of the module read as attributes: `m.Net`, `a.b.Net`).
  const plain = /^[ \t]*import[ \t]+([^\n#;]+)/gm;
  for (let m = plain.exec(text); m; m = plain.exec(text)) {
    for (const part of m[1]!.split(',')) {
      const words = part.trim().split(/\s+/);
      const mod = words[0] ?? '';
      const aliased = words[1] === 'as' && /^[A-Za-z_]\w*$/.test(words[2] ?? '');
      if (/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(mod) && (aliased || words.length === 1)) out.push({ module: mod, names: null });
    }
  }
  const re = /^[ \t]*from[ \t]+(\.+[\w.]*|[A-Za-z_][\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const list = m[2]!.replace(/[()\\]/g, ' ').replace(/#[^\n]*/g, ' ');
    if (/^\s*\*/.test(list)) {
      out.push({ module: m[1]!, names: null });
      continue;
    }
    const names = list
      .split(',')
      .map((x) => x.trim().split(/\s+/)[0] ?? '')
      .filter((x) => /^[A-Za-z_]\w*$/.test(x));
    if (names.length > 0) out.push({ module: m[1]!, names });
  }
  return out;
}

// ------------------------------------------------------------------------------------ a module's statements

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}


function topStatements(tree: PyTree): TopStatement[] {
  const out: TopStatement[] = [];
  for (const s of namedChildren(tree.root)) {
    if (s.type === 'comment') continue;
    const defines: string[] = [];
    const imports: ImportOf[] = [];
    bindings(tree, s, defines, imports);
    const uses = new Set<string>();
    walk(s, (n) => void (n.type === 'identifier' && uses.add(text(tree, n))));
    const def = s.type === 'decorated_definition' ? field(s, 'definition') : s;
    const bases = def?.type === 'class_definition' ? field(def, 'superclasses') : null;
    const isFunction = def?.type === 'function_definition';
    const model = (!!bases && MODEL_BASES.test(text(tree, bases))) || (isFunction && AUTOGRAD_WORDS.test(text(tree, s)));
    // A loss class of the project (`class HierarchicalLossNetwork:`, `class DiceLoss(object):`) that computes with tensors:
    // what its methods return decides whether a training loss has a graph.
    const lossClass = def?.type === 'class_definition' && LOSS_CLASS.test(text(tree, field(def, 'name') ?? def)) && FRAMEWORK_CALL.test(text(tree, s));
    // A plain class (no base but `object`) whose methods compute with a framework and name an autograd operation
    // (`@torch.no_grad()`, `.item()`, `.detach()`): imported by name, what its methods return (a Python float, a
    // detached statistic) is read instead of guessed from their tensor arguments. Not a class with other bases: what
    // it inherits is not in view, and a half-read class (a result its base's hook fills) is worse than an unread
    // one, whose results are taken to carry their arguments' graph. A module imported whole still gives only models.
    const tensorClass = def?.type === 'class_definition' && (!bases || /^\(\s*(?:object\s*)?\)$/.test(text(tree, bases))) && tensorClassText(text(tree, s));
    const relevant = model || lossClass || tensorClass || (isFunction && tensorFunction(text(tree, s)));
    const lineOf = (offset: number): number => positionAt(tree.lineStarts, offset).line;
    out.push({ firstLine: lineOf(s.start), lastLine: lineOf(Math.max(s.start, s.end - 1)), defines, uses, imports, relevant, model });
  }
  return out;
}

const text = (tree: PyTree, n: PyNode): string => tree.source.slice(n.start, n.end);

/** Names a top-level statement binds (in `if`/`try`/`with` blocks at top level too) and its imports. */
function bindings(tree: PyTree, s: PyNode, defines: string[], imports: ImportOf[]): void {
  switch (s.type) {
    case 'function_definition':
    case 'class_definition': {
      const n = field(s, 'name');
      if (n) defines.push(text(tree, n));
      return;
    }
    case 'decorated_definition': {
      const d = field(s, 'definition');
      if (d) bindings(tree, d, defines, imports);
      return;
    }
    case 'import_statement':
      // `import m` binds `m` (`import m as x`: `x`); inside an appended module, the module itself is not followed.
      for (const c of s.children) {
        if (c.field !== 'name') continue;
        const bound = c.type === 'aliased_import' ? field(c, 'alias') : c.type === 'dotted_name' ? namedChildren(c)[0] : null;
        if (bound) defines.push(text(tree, bound));
      }
      return;
    case 'import_from_statement': {
      const mod = field(s, 'module_name');
      const module = mod ? text(tree, mod).replace(/\s+/g, '') : '';
      const names: string[] = [];
      let star = false;
      for (const c of s.children) {
        if (c.type === 'wildcard_import') star = true;
        if (c.field !== 'name') continue;
        if (c.type === 'dotted_name') {
          const last = namedChildren(c).at(-1);
          if (last) defines.push(text(tree, last));
          names.push(text(tree, c).replace(/\s+/g, ''));
        } else if (c.type === 'aliased_import') {
          const alias = field(c, 'alias');
          const name = field(c, 'name');
          if (alias) defines.push(text(tree, alias));
          if (name) names.push(text(tree, name).replace(/\s+/g, ''));
        }
      }
      if (module) imports.push({ module, names: star ? null : names });
      return;
    }
    case 'expression_statement':
      for (const c of namedChildren(s)) if (c.type === 'assignment' || c.type === 'augmented_assignment') assignedNames(tree, c, defines);
      return;
    case 'if_statement':
    case 'try_statement':
    case 'with_statement':
    case 'for_statement':
    case 'while_statement':
    case 'block':
    case 'else_clause':
    case 'elif_clause':
    case 'except_clause':
    case 'finally_clause':
      for (const c of namedChildren(s)) bindings(tree, c, defines, imports);
      return;
    default:
      return;
  }
}

function assignedNames(tree: PyTree, a: PyNode, out: string[]): void {
  const left = field(a, 'left');
  if (left) targetNames(tree, left, out);
  const right = field(a, 'right');
  if (right && right.type === 'assignment') assignedNames(tree, right, out);
}

function targetNames(tree: PyTree, t: PyNode, out: string[]): void {
  if (t.type === 'identifier') out.push(text(tree, t));
  else if (t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern' || t.type === 'tuple' || t.type === 'list' || t.type === 'parenthesized_expression') {
    for (const c of namedChildren(t)) targetNames(tree, c, out);
  }
}


/**
 * The statements that define `wanted` and, transitively, the top-level names those statements read (base
 * classes, helpers, constants, the module's imports), in the module's order.
 */
function pick(index: ModuleIndex, wanted: readonly string[]): TopStatement[] {
  const byName = new Map<string, TopStatement[]>();
  for (const s of index.statements) for (const d of s.defines) (byName.get(d) ?? byName.set(d, []).get(d)!).push(s);
  const chosen = new Set<TopStatement>();
  const names = [...wanted];
  const seen = new Set<string>();
  while (names.length > 0) {
    const n = names.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const s of byName.get(n) ?? []) {
      if (chosen.has(s)) continue;
      chosen.add(s);
      for (const u of s.uses) if (!seen.has(u) && byName.has(u)) names.push(u);
    }
  }
  return index.statements.filter((s) => chosen.has(s));
}
