/** Shared pieces of the CLI commands: errors that mean exit code 2, usage texts, option suggestions. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

const CLI_ERROR = Symbol.for('autograd-lens.CliError');
/**
 * A usage or I/O error (bad input): printed to stderr, exit status 2. `instanceof` goes by a registered symbol, not by
 * the class object: `train`, `analyze` and `export` run from bundles of their own (scripts/build.mjs),
 * each with its own copy of this class, and main.ts must still tell their usage errors from bugs.
 */
export class CliError extends Error {
  readonly [CLI_ERROR] = true;
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [CLI_ERROR]?: unknown })[CLI_ERROR] === true;
  }
}

/** The package version, set at build time (scripts/build.mjs); "dev" when run from the sources. */
declare const __VERSION__: string | undefined;
export function version(): string {
  return typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
}

export const LINT_USAGE = [
  'Usage: autograd-lens lint [options] PATH...',
  '',
  'Find autograd misuse in Python files and Jupyter notebooks (a notebook\'s code cells are linted as',
  'one program, findings named by cell). Directories are searched recursively for *.py and *.ipynb.',
  '',
  'Options:',
  '  --format text|json|sarif   output format (default text)',
  '  --select CODES             rule codes or prefixes to report, comma-separated (e.g. AGL00,AGL010)',
  '  --ignore CODES             rule codes or prefixes to leave out; wins over --select',
  '  --fix                      apply the safe fixes in place (in a notebook, only the cells\' source)',
  '  --follow-symlinks          also search folders reached through symbolic links',
  '  --config PYPROJECT         use this pyproject.toml instead of the nearest one above each file',
  '  --jobs N|auto              worker threads (default auto: one per free core, i.e. cores less the',
  '                             load average, when there is enough to lint; 1 lints in the main thread)',
  '  --single-file              lint each file by itself, without the definitions it imports from other',
  '                             Python files under the current folder or the given paths (models, helpers)',
  '  -h, --help                 this text',
  '',
  'Exit codes: 0 nothing at warning level or above, 1 findings or syntax errors, 2 usage error or a',
  'path that could not be linted (the others were), 3 the linter failed on a file (AGL000).',
  '',
].join('\n');

export const TRAIN_USAGE = [
  'Usage: autograd-lens train DATA --inputs A,B --outputs Y [options]',
  '',
  'Train a network on a CSV/TSV file and report its derivatives with respect to the raw inputs.',
  '',
  'Options:',
  '  --inputs A,B               input columns (required)',
  '  --outputs Y                output columns (required); an output may have only derivative columns',
  '  --grad Y:A=COL,...         derivative columns: COL holds dY/dA (repeatable)',
  '  --reference "Y = EXPR"     analytic reference for an output, e.g. "f = x^3 + 5*x + y^2" (repeatable)',
  '  --fit values|derivatives|both   what the loss is fitted to (default both)',
  '  --normalize minmax|standard|none',
  '  --hidden 64,64             hidden layer widths',
  '  --activation tanh|softplus|silu|sin|relu',
  '  --epochs N  --batch-size N  --lr X  --grad-weight X',
  '                             (left open: batch 64, a quarter of the rows for small files; above',
  '                             100,000 rows larger batches and fewer epochs, with a warning)',
  '  --validation-split F  --patience N  --init glorot|fan-in|siren  --seed N',
  '  --out DIR                  where to save the model (default DATA_FOLDER/models/DATA_NAME)',
  '  --backend auto|wasm|node|cpu   TensorFlow.js backend',
  '  --engine auto|tfjs|torch   torch trains with PyTorch through --python; auto (the default) uses it',
  '                             when that interpreter imports torch, else TensorFlow.js',
  '  --python PATH              the interpreter for --engine torch (default python3)',
  '  --device auto|cpu|cuda|mps  where PyTorch trains',
  '  --save-script DIR          write the PyTorch script and spec.json to run elsewhere, and stop',
  '                             (python3 DIR/autograd_lens_train.py DIR/spec.json)',
  '  --json                     print the report as one JSON object (relative errors as fractions)',
  '  -h, --help                 this text',
  '',
  'Relative errors are printed in percent. Exit codes: 0 done, 1 training failed (diverged),',
  '2 usage, data or I/O error, 130 interrupted (Ctrl-C).',
  '',
].join('\n');

export const ANALYZE_USAGE = [
  'Usage: autograd-lens analyze MODEL_DIR [--data DATA] [--reference "Y = EXPR"]... [--export OUT.csv] [--json]',
  '       autograd-lens analyze DERIVATIVES.csv --inputs A,B --outputs Y [--pred Y=COL] [--grad Y:A=COL,...]',
  '                             [--reference "Y = EXPR"]... [--json]',
  '',
  "Compare a saved model, or another model's exported derivatives, with references.",
  '',
  'Options:',
  '  --data DATA                points to evaluate a saved model at (default: the data it was trained on)',
  '  --reference "Y = EXPR"     analytic reference for an output (repeatable)',
  '  --export OUT.csv           also write the model\'s predictions and derivatives at the points',
  '  --inputs, --outputs        columns of a derivatives CSV',
  '  --pred Y=COL               column holding the other model\'s prediction of Y',
  '  --grad Y:A=COL,...         columns holding the other model\'s dY/dA',
  '  --backend auto|wasm|node|cpu',
  '  --json                     print the report as one JSON object (relative errors as fractions)',
  '  -h, --help                 this text',
  '',
  'Relative errors are printed in percent. Exit codes: 0 done, 2 usage, data or I/O error.',
  '',
].join('\n');

export const EXPORT_USAGE = [
  'Usage: autograd-lens export MODEL_DIR --format pytorch --out DIR',
  '       autograd-lens export MODEL_DIR --format onnx --out FILE.onnx',
  '',
  'Use a trained model from Python: a torch.nn.Module (DIR/model.py: import model; net = model.load())',
  'or an ONNX file, mapping raw inputs to raw outputs with the normalization inside, so autograd gives',
  'derivatives in raw units.',
  '',
  'Options:',
  '  --format pytorch|onnx      what to write (required)',
  '  --out PATH                 a folder for pytorch, a .onnx file for onnx (required)',
  '  --json                     print {"format", "files": [...], "knownUpToAConstant": [...]}',
  '  -h, --help                 this text',
  '',
  'Exit codes: 0 done, 2 usage or model-folder error.',
  '',
].join('\n');

export function usage(): string {
  return [
    'Usage: autograd-lens <command> [options]',
    '',
    'Commands:',
    '  lint PATH...            find autograd misuse in Python files and Jupyter notebooks',
    '  train DATA ...          train a network on a CSV/TSV file, report its input derivatives',
    '  analyze MODEL_DIR ...   compare a saved model (or another model\'s derivatives CSV) with references',
    '  export MODEL_DIR ...    a trained model for Python: a PyTorch module or an ONNX file',
    '',
    '  autograd-lens <command> --help   options of a command',
    '  autograd-lens --version          the version',
    '',
    'Exit codes: 0 nothing found / done, 1 findings at warning level or above, syntax errors /',
    '            training failed, 2 usage, data or I/O error (lint: some path could not be linted;',
    '            the others were), 3 lint: the linter failed on a file (AGL000), 130 train: interrupted.',
    '',
  ].join('\n');
}

/** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
function osaDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word` (case-insensitive), when it is close: at most 1 edit for short
 * words, 2 from 5 letters on (a swap of neighbours counts as one); a word that is the start of exactly
 * one candidate also counts. Undefined when nothing is close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length >= 5 ? 2 : 1;
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = osaDistance(w, c.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { c, d };
  }
  if (best) return best.c;
  const prefixed = candidates.filter((c) => w.length >= 2 && c.toLowerCase().startsWith(w));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * The message for an option a command does not know, with the closest known one when there is one:
 * "unknown option '--epoch' (did you mean --epochs?)".
 */
export function unknownOption(command: string, option: string, known: readonly string[]): CliError {
  const name = option.replace(/=.*$/, '');
  const close = closest(name.replace(/^-+/, ''), known.map((k) => k.replace(/^-+/, '')));
  const hint = close ? ` (did you mean --${close}?)` : '';
  return new CliError(`${command}: unknown option '${name}'${hint}; see 'autograd-lens ${command} --help'`);
}

/**
 * `parseArgs` for a command's options: an unknown option gets the closest known one, a missing value
 * is said plainly, and every problem is a CliError (exit 2).
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true as const, strict: true as const });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec((err as Error).message)?.[1] ?? args.find((a) => a.startsWith('-') && !(a.replace(/^-+/, '').replace(/=.*$/, '') in options)) ?? '?';
      throw unknownOption(command, option, Object.keys(options).map((k) => `--${k}`));
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // "Option '--epochs <value>' argument missing": say it plainly.
      const option = /'(--[a-z-]+)/.exec((err as Error).message)?.[1];
      if (option) throw new CliError(`${command}: ${option} needs a value`);
    }
    throw new CliError(`${command}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
