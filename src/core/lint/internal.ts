/**
 * AGL000 internal-error: the reserved code under which the engine reports its own failures on a file
 * (a rule that threw, a parse or semantic model that failed). It is not a rule: nothing checks for it,
 * `select`/`ignore`, severity overrides and `# noqa` do not hide it, because what it says is that
 * findings are missing. It is in `RULES` so that it has documentation like a rule.
 */
import type { Diagnostic, Range, RuleMeta } from './types';

export const INTERNAL_ERROR_CODE = 'AGL000';

export const INTERNAL_ERROR: RuleMeta = {
  code: INTERNAL_ERROR_CODE,
  name: 'internal-error',
  summary: 'The linter failed on this file (a rule or the parser threw): some or all findings for it are missing.',
  framework: 'any',
  defaultSeverity: 'error',
  fixable: false,
  docs: {
    whatItDoes:
      'Reports that the linter itself failed while checking this file: one rule threw an exception (that rule\'s findings ' +
      'for the file are dropped, the other rules still report), or the file could not be parsed and analysed at all (no ' +
      'findings for it). The message names the rule and the error. The command line also prints a line on stderr and ' +
      'exits with status 3; the editor writes the error, with its stack, to the *Autograd Lens* output channel. ' +
      'The same code, with severity info, notes a file whose autograd analysis stopped at its work budget (a very ' +
      'large or branchy file): findings that depend on code after the line it names may be missing; that note is not ' +
      'an internal error and does not change the exit status.',
    whyIsThisBad:
      'A file the linter failed on is not a clean file. Without this diagnostic such a file would look like "0 problems" ' +
      'and every mistake in it would go unreported.',
    example: 'Any file, when the linter has a bug that this file triggers.',
    useInstead:
      'Nothing to change in your code. Please report the error with the smallest file that triggers it. Until it is ' +
      'fixed, `--ignore` the named rule for this file (the other rules keep working), or split a very large expression ' +
      'or file.',
    knownProblems:
      'It cannot be turned off by `select`, `ignore`, a severity override or `# noqa`, on purpose. Files that mention no ' +
      'framework are not parsed, so they never get it.',
    fixSafety: 'No fix.',
  },
};

/** One AGL000 diagnostic for a failure; `code` is the failing rule's code, or `parse`. */
export function internalErrorDiagnostic(failure: { code: string; error: string }, range: Range): Diagnostic {
  const firstLine = failure.error.split('\n')[0].trim() || 'unknown error';
  const message =
    failure.code === 'parse'
      ? `Internal error: the linter could not analyse this file (${firstLine}); no findings are reported for it. Please report this.`
      : `Internal error in ${failure.code}: ${firstLine}. Its findings for this file are missing (the other rules ran). Please report this.`;
  return { code: INTERNAL_ERROR_CODE, rule: INTERNAL_ERROR.name, severity: 'error', range, message, related: [], fixes: [] };
}

/**
 * An AGL000 note (severity info, not an internal error): the autograd analysis of a very large or very
 * branchy file stopped at its work budget, so the rules saw the file only up to `line` (1-based) and
 * findings after it may be missing. Visible rather than silent, and cheap rather than slow.
 */
export function analysisBudgetDiagnostic(line: number, lines: number, range: Range): Diagnostic {
  return {
    code: INTERNAL_ERROR_CODE,
    rule: INTERNAL_ERROR.name,
    severity: 'info',
    range,
    message:
      `The autograd analysis stopped at its work budget near line ${line} of ${lines}: findings that depend on code after it ` +
      'may be missing (the file is linted in bounded time instead). Splitting the file, or its module-level code into ' +
      'functions, lets the analysis reach the end.',
    related: [],
    fixes: [],
  };
}
