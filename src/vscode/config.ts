/**
 * Lint configuration as the editor sees it: defaults, the nearest `pyproject.toml`
 * (`[tool.autograd-lens]`) and the `autogradLens.lint.*` settings, merged in that order so settings win.
 *
 * `pyproject.toml` files are read through `workspace.fs` (works for remote and virtual workspaces) and
 * cached by URI; the lint service invalidates the cache from a FileSystemWatcher.
 */
import * as vscode from 'vscode';
import type { LintConfig, Severity } from '../core/lint/types';
import { RULES, mergeConfig, parsePyprojectConfig } from '../core/lint';
import { ConfigError, describeUnknownCode, locateCodeInPyproject, unknownRuleCodes } from '../core/lint/config';

const KNOWN_CODES = RULES.map((r) => r.code);

/**
 * Rule codes in the `autogradLens.lint.*` settings that match no rule, as messages naming the closest
 * real code (empty when all are known).
 */
export function unknownCodesInSettings(settings: EditorLintSettings): string[] {
  return unknownRuleCodes(settings.config, KNOWN_CODES, {
    select: `the setting ${SECTION}.lint.select`,
    ignore: `the setting ${SECTION}.lint.ignore`,
    severity: `the setting ${SECTION}.lint.severity`,
  }).map((u) => describeUnknownCode(u, KNOWN_CODES));
}

export const SECTION = 'autogradLens';

export interface EditorLintSettings {
  enable: boolean;
  debounceMs: number;
  /** Only the fields the user set (empty lists are "not set"), so they do not mask pyproject.toml. */
  config: Partial<LintConfig>;
}

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'off']);

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}

/** Reads `autogradLens.lint.*` for a resource (folder-level settings apply per workspace folder). */
export function readEditorLintSettings(scope?: vscode.Uri): EditorLintSettings {
  const cfg = vscode.workspace.getConfiguration(`${SECTION}.lint`, scope);
  const config: Partial<LintConfig> = {};
  const select = stringList(cfg.get<unknown>('select'));
  const ignore = stringList(cfg.get<unknown>('ignore'));
  if (select.length > 0) config.select = select;
  if (ignore.length > 0) config.ignore = ignore;
  const severityRaw = cfg.get<unknown>('severity');
  if (severityRaw && typeof severityRaw === 'object' && !Array.isArray(severityRaw)) {
    const severity: Record<string, Severity | 'off'> = {};
    for (const [code, level] of Object.entries(severityRaw as Record<string, unknown>)) {
      if (typeof level === 'string' && SEVERITIES.has(level)) severity[code.trim()] = level as Severity | 'off';
    }
    if (Object.keys(severity).length > 0) config.severity = severity;
  }
  const debounce = cfg.get<unknown>('debounceMs');
  return {
    enable: cfg.get<boolean>('enable', true) !== false,
    debounceMs: typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0 ? debounce : 200,
    config,
  };
}

interface CachedPyproject {
  config: Partial<LintConfig> | undefined;
  error?: string;
}

/**
 * Finds and parses the `pyproject.toml` nearest to a document: the document's folder, then its parents,
 * up to (and including) the root of its workspace folder; for files outside any workspace folder, up to
 * the file system root.
 */
export class PyprojectConfigCache implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<CachedPyproject | null>>();
  /** Problems of the `[tool.autograd-lens]` tables, shown on the pyproject.toml files themselves. */
  readonly problems: vscode.DiagnosticCollection;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.problems = vscode.languages.createDiagnosticCollection('autograd-lens-config');
  }

  invalidate(uri?: vscode.Uri): void {
    if (uri) {
      this.cache.delete(uri.toString());
      this.problems.delete(uri);
    } else {
      this.cache.clear();
      this.problems.clear();
    }
  }

  dispose(): void {
    this.cache.clear();
    this.problems.dispose();
  }

  /** Puts a problem on the pyproject.toml (1-based line and column, as the core reports them). */
  private addProblem(uri: vscode.Uri, text: string, message: string, severity: vscode.DiagnosticSeverity, line?: number, column?: number): void {
    const lines = text.split('\n');
    const l = Math.min(Math.max(0, (line ?? 1) - 1), Math.max(0, lines.length - 1));
    const c = Math.min(Math.max(0, (column ?? 1) - 1), lines[l]?.length ?? 0);
    const word = /^["']?[A-Za-z0-9_.-]*["']?/.exec(lines[l]?.slice(c) ?? '')?.[0].length ?? 0;
    const range = new vscode.Range(l, c, l, c + Math.max(1, word));
    const d = new vscode.Diagnostic(range, message, severity);
    d.source = 'autograd-lens';
    this.problems.set(uri, [...(this.problems.get(uri) ?? []), d]);
  }

  /** The `[tool.autograd-lens]` part of the nearest pyproject.toml, or undefined when there is none. */
  async forDocument(documentUri: vscode.Uri): Promise<{ uri: vscode.Uri; config: Partial<LintConfig> } | undefined> {
    if (documentUri.scheme === 'untitled') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(documentUri);
    let dir = vscode.Uri.joinPath(documentUri, '..');
    for (let depth = 0; depth < 64; depth++) {
      const candidate = vscode.Uri.joinPath(dir, 'pyproject.toml');
      const found = await this.read(candidate);
      if (found?.config) return { uri: candidate, config: found.config };
      if (folder && dir.path === folder.uri.path) break;
      const parent = vscode.Uri.joinPath(dir, '..');
      if (parent.path === dir.path) break;
      if (folder && !parent.path.startsWith(folder.uri.path)) break;
      dir = parent;
    }
    return undefined;
  }

  private read(uri: vscode.Uri): Promise<CachedPyproject | null> {
    const key = uri.toString();
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.load(uri);
      this.cache.set(key, entry);
    }
    return entry;
  }

  private async load(uri: vscode.Uri): Promise<CachedPyproject | null> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return null; // no file here
    }
    const text = new TextDecoder('utf-8').decode(bytes);
    // A pyproject.toml without our table does not stop the search, and its TOML is not our business.
    // (We stop only where there is configuration for us, so a nested package's pyproject.toml does not
    // hide the root's table.)
    if (!/^\s*\[\s*tool\s*\.\s*["']?autograd-lens["']?\s*[.\]]/m.test(text)) return { config: undefined };
    const where = vscode.workspace.asRelativePath(uri);
    this.problems.delete(uri);
    let config: Partial<LintConfig>;
    try {
      config = parsePyprojectConfig(text);
    } catch (err) {
      const detail = err instanceof ConfigError ? err.detail : err instanceof Error ? err.message : String(err);
      const line = err instanceof ConfigError ? err.line : undefined;
      const column = err instanceof ConfigError ? err.column : undefined;
      const place = line !== undefined ? `${where}, line ${line}, column ${column ?? 1}` : where;
      this.log.warn(`Ignoring the [tool.autograd-lens] table of ${place}: ${detail}`);
      this.addProblem(uri, text, `${detail}. The [tool.autograd-lens] table is ignored until this is fixed.`, vscode.DiagnosticSeverity.Error, line, column);
      void vscode.window.showWarningMessage(`Autograd Lens: ${place}: ${detail}. Using the defaults and settings until it is fixed.`);
      return { config: {}, error: detail }; // stop here: the user meant this file to configure us
    }
    // Codes that match no rule select or ignore nothing: say so (the rest of the table applies).
    const unknown = unknownRuleCodes(config, KNOWN_CODES, { select: `[tool.autograd-lens] select`, ignore: `[tool.autograd-lens] ignore`, severity: '[tool.autograd-lens.severity]' });
    for (const u of unknown) {
      const at = locateCodeInPyproject(text, u.code);
      const message = describeUnknownCode(u, KNOWN_CODES);
      this.log.warn(`${where}${at ? `, line ${at.line}, column ${at.column}` : ''}: ${message}`);
      this.addProblem(uri, text, message, vscode.DiagnosticSeverity.Warning, at?.line, at?.column);
    }
    if (unknown.length) {
      const first = describeUnknownCode(unknown[0]!, KNOWN_CODES);
      void vscode.window.showWarningMessage(`Autograd Lens: ${where}: ${first}${unknown.length > 1 ? ` (and ${unknown.length - 1} more; see the Problems panel)` : ''}.`);
    }
    return { config };
  }
}

/** Effective lint configuration of a document: defaults < pyproject.toml < settings. */
export async function resolveLintConfig(
  documentUri: vscode.Uri,
  pyproject: PyprojectConfigCache,
): Promise<{ settings: EditorLintSettings; config: LintConfig; pyprojectUri?: vscode.Uri }> {
  const settings = readEditorLintSettings(documentUri);
  const project = await pyproject.forDocument(documentUri);
  return { settings, config: mergeConfig(project?.config, settings.config), pyprojectUri: project?.uri };
}
