/**
 * `autograd-lens export MODEL_DIR --format pytorch --out DIR` and `--format onnx --out FILE.onnx`:
 * a thin adapter over src/core/export. Prints the files written (or, with --json, one object
 * `{"files": [...], "format", "knownUpToAConstant": [...]}`); a derivative-only model gets a warning
 * on stderr. Exit 0, or 2 on a usage or model-folder error.
 */
import { CliError, parseCommandArgs, version } from './common';
import { EXPORT_FORMATS, exportOnnx, exportPytorch, type ExportFormat } from '../core/export/index';

export async function runExportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', args, { format: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new CliError('export needs one model folder: autograd-lens export MODEL_DIR --format pytorch|onnx --out PATH');
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got '${String(values.format ?? '')}')`);
  const out = values.out;
  if (!out) throw new CliError(format === 'onnx' ? '--out FILE.onnx is required' : '--out DIR is required (model.py and model_weights.bin go there)');
  let r: { files: string[]; upToConstant: string[] };
  try {
    r = format === 'onnx' ? await exportOnnx(positionals[0], out, version()) : await exportPytorch(positionals[0], out);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  if (r.upToConstant.length) {
    process.stderr.write(`warning [known-up-to-a-constant]: ${r.upToConstant.join(', ')} ${r.upToConstant.length > 1 ? 'were' : 'was'} trained on derivatives only; the exported values are known only up to an additive constant (the export says so too)\n`);
  }
  process.stdout.write(values.json ? JSON.stringify({ format, files: r.files, knownUpToAConstant: r.upToConstant }) + '\n' : r.files.join('\n') + '\n');
  return 0;
}
