/** Shared pieces of the CLI commands: errors that mean exit code 2, and the usage text. */

/** A usage or I/O error: printed to stderr, exit code 2. */
export class CliError extends Error {}

export function usage(): string {
  return [
    'Usage: autograd-lens <command> [options]',
    '',
    'Commands:',
    '  lint [--format text|json|sarif] [--select CODES] [--ignore CODES] [--fix] [--follow-symlinks]',
    '      [--config PYPROJECT] [--jobs N|auto] PATH...',
    '      Find autograd misuse in Python files and Jupyter notebooks (directories are searched',
    '      recursively; symlinked folders only with --follow-symlinks). --jobs: worker threads (default',
    '      auto: one per core when there is enough to lint; 1 lints in the main thread).',
    '  train DATA --inputs A,B --outputs Y [--grad Y:A=COL,...] [--reference "Y = EXPR"]...',
    '      [--normalize minmax|standard|none] [--hidden 64,64] [--activation tanh|softplus|silu|sin|relu]',
    '      [--epochs N] [--batch-size N] [--lr X] [--grad-weight X] [--validation-split F] [--patience N]',
    '      [--fit values|derivatives|both] [--init glorot|fan-in|siren] [--seed N] [--out DIR] [--backend auto|wasm|node|cpu]',
    '      [--engine auto|tfjs|torch] [--python PATH] [--device auto|cpu|cuda|mps] [--save-script DIR] [--json]',
    '      Train a network on a CSV/TSV file and report its derivatives w.r.t. the raw inputs.',
    '      --engine torch trains with PyTorch through PATH (default python3); auto (the default) uses it',
    '      when that interpreter imports torch, else TensorFlow.js. --save-script DIR writes the PyTorch',
    '      script and spec.json to run elsewhere (python3 DIR/autograd_lens_train.py DIR/spec.json).',
    '  analyze MODEL_DIR [--data DATA] [--reference "Y = EXPR"]... [--export OUT.csv] [--json]',
    '  analyze DERIVATIVES.csv --inputs A,B --outputs Y [--pred Y=COL] [--grad Y:A=COL,...]',
    '      [--reference "Y = EXPR"]... [--json]',
    '      Compare a saved model, or another model\'s exported derivatives, with references.',
    '  export MODEL_DIR --format pytorch --out DIR      DIR/model.py: import model; net = model.load()',
    '  export MODEL_DIR --format onnx --out FILE.onnx   raw inputs to raw outputs, metadata inside',
    '      Use a trained model from Python: a torch.nn.Module or an ONNX file mapping raw inputs to',
    '      raw outputs (the normalization inside), so autograd gives derivatives in raw units.',
    '',
    'Exit codes: 0 nothing found / done, 1 findings at warning level or above, syntax errors /',
    '            training failed, 2 usage, data or I/O error (lint: some path could not be linted;',
    '            the others were), 3 lint: the linter failed on a file (AGL000), 130 train: interrupted.',
    '',
  ].join('\n');
}
