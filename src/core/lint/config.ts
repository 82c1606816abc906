/**
 * Configuration: `[tool.autograd-lens]` in pyproject.toml, editor settings and CLI flags, merged.
 *
 *   [tool.autograd-lens]
 *   select = ["AGL"]            # codes or prefixes; empty/absent = all rules
 *   ignore = ["AGL005"]         # codes or prefixes; wins over select
 *   [tool.autograd-lens.severity]
 *   AGL004 = "info"             # error | warning | info | off
 *
 * Merging (`mergeConfig(a, b, ...)`): select and ignore are unions of every part; severities of later
 * parts override earlier ones. So defaults < pyproject < editor settings < command line.
 */
import { parse as parseToml } from 'smol-toml';
import { INTERNAL_ERROR_CODE } from './internal';
import { DEFAULT_CONFIG, type LintConfig, type Severity } from './types';

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);
const CODE_OR_PREFIX = /^[A-Z]+[0-9]*$/;

/**
 * A configuration that cannot be used. `line` and `column` (1-based, as editors show them) are set when
 * the problem has a place in the file; the message then starts with "line L, column C: ".
 */
export class ConfigError extends Error {
  /** The cause without the position. */
  readonly detail: string;
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line !== undefined ? `line ${line}, column ${column ?? 1}: ${message}` : message);
    this.name = 'ConfigError';
    this.detail = message;
  }
}

/** 1-based line and column of a 0-based offset in `text`. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** 0-based offset of a 1-based line and column (clamped to the text). */
function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return Math.min(text.length, off + Math.max(0, column - 1));
}

/**
 * What a TOML parse error means, in the user's words, and where. smol-toml reports where the parser
 * gave up ("expected comma or end of structure", "invalid value"); the mistakes people make in a
 * `[tool.autograd-lens]` table are an unquoted code or severity, and a list or table left open, whose
 * error surfaces later. Those are recognised and pointed at; anything else keeps the parser's words.
 */
export function explainTomlError(text: string, err: unknown): ConfigError {
  const raw = err instanceof Error ? err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '') : String(err);
  const e = err as { line?: unknown; column?: unknown };
  const line = typeof e.line === 'number' ? e.line : undefined;
  const column = typeof e.column === 'number' ? e.column : undefined;
  if (line === undefined) return new ConfigError(`invalid TOML: ${raw}`);
  const at = offsetOf(text, line, column ?? 1);
  // A bare word where a value belongs (`select = [AGL001]`, `AGL001 = info`): the word at the error
  // (smol-toml may have read the `inf` of `info` as a number and stopped after it).
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_-]/.test(c);
  let ws = at;
  if (!isWord(text[at])) {
    // No word at the error: the one that ends just before it (spaces between allowed).
    while (ws > 0 && (text[ws - 1] === ' ' || text[ws - 1] === '\t')) ws--;
  }
  while (ws > 0 && isWord(text[ws - 1])) ws--;
  let we = ws;
  while (we < text.length && isWord(text[we])) we++;
  const word = text.slice(ws, we);
  const before = text.slice(text.lastIndexOf('\n', ws - 1) + 1, ws).trimEnd();
  if (/^[A-Za-z_]/.test(word) && /[=,[{]$/.test(before) && !['true', 'false', 'inf', 'nan'].includes(word)) {
    const p = positionOf(text, ws);
    return new ConfigError(`invalid TOML: ${word} needs quotes ("${word}"); TOML strings are quoted`, p.line, p.column);
  }
  const lineText = text.slice(offsetOf(text, line, 1)).split('\n')[0]!;
  if (/^\s*\[/.test(lineText) && !lineText.includes(']')) {
    return new ConfigError(`invalid TOML: the table header ${lineText.trim()} is not closed with ']'`, line, lineText.indexOf('[') + 1);
  }
  // A list or inline table still open where the parser gave up: point at where it was opened.
  const open = unclosedBracket(text, at);
  if (open !== null) {
    const p = positionOf(text, open.offset);
    const what = open.char === '[' ? `the list opened here is not closed with ']'` : `the inline table opened here is not closed with '}'`;
    return new ConfigError(`invalid TOML: ${what} (the parser stopped at line ${line}, column ${column ?? 1}: ${raw})`, p.line, p.column);
  }
  if (/must be followed by an end-of-line/.test(raw) && at < text.length) {
    return new ConfigError(`invalid TOML: unexpected '${text[at]}' after the value (one key = value per line)`, line, column);
  }
  if (/redefine/.test(raw)) {
    const key = /^\s*([A-Za-z0-9_."-]+)\s*=/.exec(text.slice(offsetOf(text, line, 1)))?.[1] ?? /^\s*\[+\s*([^\]]+)\]/.exec(text.slice(offsetOf(text, line, 1)))?.[1];
    return new ConfigError(`invalid TOML: ${key ? `'${key.trim()}' is defined twice` : raw}`, line, column);
  }
  return new ConfigError(`invalid TOML: ${raw}`, line, column);
}

/**
 * The innermost `[` or `{` of a value (not a table header) still open at `offset`, ignoring strings
 * and comments; null when every bracket before it is closed.
 */
function unclosedBracket(text: string, offset: number): { char: string; offset: number } | null {
  const stack: { char: string; offset: number }[] = [];
  let lineStart = true;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? text.indexOf(c.repeat(3), i + 3) : text.indexOf(c, i + 1);
      i = close < 0 ? text.length : close + (triple ? 2 : 0);
      lineStart = false;
      continue;
    }
    if (lineStart && c === '[' && stack.length === 0) {
      // A table header: skip to the end of the line.
      while (i < text.length && text[i] !== '\n') i++;
      i--;
      continue;
    }
    if (!/\s/.test(c)) lineStart = false;
    if (c === '[' || c === '{') stack.push({ char: c, offset: i });
    else if ((c === ']' || c === '}') && stack.length) stack.pop();
  }
  return stack.length ? stack[stack.length - 1]! : null;
}

function codeList(v: unknown, where: string): string[] {
  const items = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(items)) throw new ConfigError(`${where} must be a list of rule codes, e.g. ["AGL001"]`);
  return items.map((x, i) => {
    if (typeof x !== 'string') throw new ConfigError(`${where}[${i}] must be a string`);
    const code = x.trim().toUpperCase();
    if (!CODE_OR_PREFIX.test(code)) throw new ConfigError(`${where}[${i}]: '${x}' is not a rule code or prefix (like AGL001 or AGL)`);
    return code;
  });
}

/** Read `[tool.autograd-lens]` from pyproject.toml text. Throws ConfigError with a clear message on bad TOML or values. */
export function parsePyprojectConfig(tomlText: string): Partial<LintConfig> {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(tomlText) as Record<string, unknown>;
  } catch (err) {
    throw explainTomlError(tomlText, err);
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const section = tool && typeof tool === 'object' ? (tool['autograd-lens'] as unknown) : undefined;
  if (section === undefined) return {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw new ConfigError('[tool.autograd-lens] must be a table');
  const s = section as Record<string, unknown>;
  const out: Partial<LintConfig> = {};
  for (const key of Object.keys(s)) {
    if (key !== 'select' && key !== 'ignore' && key !== 'severity') {
      throw new ConfigError(`[tool.autograd-lens]: unknown key '${key}' (known: select, ignore, severity)`);
    }
  }
  if (s.select !== undefined) out.select = codeList(s.select, '[tool.autograd-lens] select');
  if (s.ignore !== undefined) out.ignore = codeList(s.ignore, '[tool.autograd-lens] ignore');
  if (s.severity !== undefined) {
    if (typeof s.severity !== 'object' || s.severity === null || Array.isArray(s.severity)) {
      throw new ConfigError('[tool.autograd-lens.severity] must be a table like { AGL004 = "info" }');
    }
    out.severity = {};
    for (const [code, level] of Object.entries(s.severity as Record<string, unknown>)) {
      if (typeof level !== 'string' || !SEVERITIES.has(level)) {
        throw new ConfigError(`[tool.autograd-lens.severity] ${code}: '${String(level)}' is not one of error, warning, info, off`);
      }
      out.severity[code.toUpperCase()] = level as Severity | 'off';
    }
  }
  return out;
}

export function mergeConfig(...parts: Array<Partial<LintConfig> | undefined>): LintConfig {
  const select = new Set<string>(DEFAULT_CONFIG.select);
  const ignore = new Set<string>(DEFAULT_CONFIG.ignore);
  const severity: LintConfig['severity'] = { ...DEFAULT_CONFIG.severity };
  for (const p of parts) {
    if (!p) continue;
    for (const c of p.select ?? []) select.add(c.toUpperCase());
    for (const c of p.ignore ?? []) ignore.add(c.toUpperCase());
    for (const [k, v] of Object.entries(p.severity ?? {})) severity[k.toUpperCase()] = v;
  }
  return { select: [...select], ignore: [...ignore], severity };
}

export function isEnabled(code: string, config: LintConfig): boolean {
  const c = code.toUpperCase();
  if (config.severity[c] === 'off') return false;
  if (config.ignore.some((p) => c.startsWith(p.toUpperCase()))) return false;
  if (config.select.length === 0) return true;
  return config.select.some((p) => c.startsWith(p.toUpperCase()));
}

/** A rule code or prefix in a configuration that names no rule, with the closest real code. */
export interface UnknownCode {
  code: string;
  /** Where it was written, e.g. `[tool.autograd-lens] select` or `--ignore`. */
  where: string;
  /** The closest real rule code, when one is close. */
  suggestion?: string;
  /** Set when the entry is a prefix where a whole code is needed (a severity key). */
  prefixOnly?: boolean;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The real rule code closest to `code`: smallest edit distance (at most 2), ties broken by the nearest
 * number (with rules up to AGL016: AGL017 → AGL016, not AGL007). Undefined when nothing is that close.
 */
export function closestRuleCode(code: string, known: readonly string[]): string | undefined {
  const c = code.toUpperCase();
  const num = (s: string) => Number(/([0-9]+)$/.exec(s)?.[1] ?? NaN);
  let best: { code: string; d: number; n: number } | undefined;
  for (const k of known) {
    const d = distance(c, k);
    const n = Math.abs(num(c) - num(k)) || 0;
    if (d > 2) continue;
    if (!best || d < best.d || (d === best.d && n < best.n)) best = { code: k, d, n };
  }
  return best?.code;
}

/**
 * Codes and prefixes of `select`, `ignore` and severity keys that match no rule in `known`
 * (a prefix is fine when some code starts with it; a severity key must be a whole code).
 */
export function unknownRuleCodes(
  config: Partial<LintConfig>,
  known: readonly string[],
  where: { select: string; ignore: string; severity: string },
): UnknownCode[] {
  const out: UnknownCode[] = [];
  const check = (code: string, place: string, whole: boolean) => {
    const c = code.toUpperCase();
    if (whole ? known.includes(c) : known.some((k) => k.startsWith(c))) return;
    if (whole && known.some((k) => k.startsWith(c))) out.push({ code, where: place, prefixOnly: true });
    else out.push({ code, where: place, suggestion: closestRuleCode(c, known) });
  };
  for (const c of config.select ?? []) check(c, where.select, false);
  for (const c of config.ignore ?? []) check(c, where.ignore, false);
  for (const c of Object.keys(config.severity ?? {})) check(c, where.severity, true);
  return out;
}

/** "AGL017 in --select matches no rule (did you mean AGL016?)". */
export function describeUnknownCode(u: UnknownCode, known?: readonly string[]): string {
  if (u.prefixOnly) return `${u.code} in ${u.where} is a prefix; a severity needs a whole rule code such as ${u.code}${'1'.padStart(6 - u.code.length, '0')}`;
  // The range of the rules one selects: AGL000 (internal error) is documented like a rule but is none.
  const rules = (known ?? []).filter((k) => k !== INTERNAL_ERROR_CODE);
  const range = rules.length ? ` (the rule codes run from ${rules[0]} to ${rules[rules.length - 1]})` : '';
  return `${u.code} in ${u.where} matches no rule${u.suggestion ? ` (did you mean ${u.suggestion}?)` : range}`;
}

/**
 * 1-based line and column of the quoted `code` (or the bare key, for severities) inside the
 * `[tool.autograd-lens]` tables of a pyproject.toml, for pointing a problem at it.
 */
export function locateCodeInPyproject(text: string, code: string): { line: number; column: number } | undefined {
  const header = /^\s*\[\s*tool\s*\.\s*["']?autograd-lens["']?/m.exec(text);
  if (!header) return undefined;
  const esc = code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`["']${esc}["']|^\\s*${esc}\\s*=`, 'gim');
  re.lastIndex = header.index;
  const m = re.exec(text);
  if (!m) return undefined;
  const offset = m.index + m[0].search(/\S/) + (m[0].trimStart().startsWith('"') || m[0].trimStart().startsWith("'") ? 1 : 0);
  return positionOf(text, offset);
}
