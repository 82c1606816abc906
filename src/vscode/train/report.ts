/**
 * Text for the "Autograd Lens" output channel and the derivatives CSV export. Pure (no `vscode`).
 * Written here rather than imported from the CLI or the pipeline so the extension bundle does not
 * pull in TensorFlow.js (which the pipeline's model code imports); the CSV layout matches the
 * pipeline's `exportDerivativesCsv` (inputs, outputs, then d<output>_d<input>).
 */
import type { AnalysisSeries, Report, RunStatus } from '../../core/model/types';
import { comparisonLabel, selfConsistencyNote } from '../../shared/format';

function g(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}

export function fmtReport(report: Report): string {
  const lines: string[] = [];
  if (report.engineNote) lines.push(`  ${report.engineNote}`);
  for (const [o, m] of Object.entries(report.value)) {
    const shift = m.offset === undefined ? '' : ` (not fitted to values: after adding the best constant ${g(m.offset)})`;
    lines.push(`  value ${o}: relative L2 ${g(100 * m.relL2)} %, RMSE ${g(m.rmse)}${shift}`);
  }
  for (const [k, m] of Object.entries(report.derivatives)) {
    const [o, i] = [k.slice(0, k.lastIndexOf('/')), k.slice(k.lastIndexOf('/') + 1)];
    const at = Object.entries(m.maxAbsAt).map(([n, v]) => `${n}=${g(v)}`).join(', ');
    lines.push(`  d${o}/d${i} vs ${comparisonLabel(m.reference)}: relative L2 ${g(100 * m.relL2)} %, RMSE ${g(m.rmse)}, max |error| ${g(m.maxAbs)} at ${at}, median ratio ${g(m.medianRatio)}`);
  }
  if (Object.values(report.derivatives).some((m) => m.reference === 'finite-difference')) lines.push(`  ${selfConsistencyNote('editor')}`);
  for (const w of report.warnings) lines.push(`  warning (${w.code}): ${w.message}`);
  if (report.modelDir) lines.push(`  model: ${report.modelDir}`);
  return lines.join('\n');
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Inputs, predicted outputs and every model derivative d<output>_d<input>, one row per point. */
export function derivativesCsv(series: AnalysisSeries, inputs: string[], outputs: string[]): string {
  const cols: { name: string; values: Float64Array }[] = [];
  for (const i of inputs) cols.push({ name: i, values: series.inputs[i]! });
  for (const o of outputs) if (series.predicted[o]) cols.push({ name: o, values: series.predicted[o]! });
  for (const o of outputs)
    for (const i of inputs) {
      const d = series.derivatives[`${o}/${i}`];
      if (d) cols.push({ name: `d${o}_d${i}`, values: d.model });
    }
  const missing = cols.filter((c) => !c.values);
  if (missing.length) throw new Error(`the analysis has no values for ${missing.map((c) => c.name).join(', ')}`);
  const n = cols.length ? cols[0]!.values.length : 0;
  const out = [cols.map((c) => csvField(c.name)).join(',')];
  for (let r = 0; r < n; r++) out.push(cols.map((c) => String(c.values[r])).join(','));
  return out.join('\n') + '\n';
}

/**
 * The one-line account of a finished run for the status bar: what was done and what came of it.
 * Training saves a model; an analysis saves nothing and says what it looked at.
 */
export function statusMessage(
  kind: 'train' | 'analysis',
  label: string,
  status: RunStatus,
  report: Report | null,
  detail: string | undefined,
  rel: (p: string) => string,
): string {
  if (status === 'cancelled') return `${kind === 'train' ? 'training' : 'analysis'} of ${label} cancelled; ${kind === 'train' ? 'no model was saved' : 'nothing was analysed'}`;
  if (status === 'failed') return `${kind === 'train' ? 'training' : 'analysis'} of ${label} failed: ${detail ?? 'no reason given'}`;
  const n = report ? Object.keys(report.derivatives).length : 0;
  const what = `${n} derivative${n === 1 ? '' : 's'} checked`;
  if (kind === 'analysis') return `${label}: ${what}; results in the analysis panel`;
  const saved = report?.modelDir ? `model saved to ${rel(report.modelDir)}` : 'no model was saved';
  return `trained ${label}${status === 'stopped-early' ? ' (stopped early)' : ''}: ${saved}; ${what} in the analysis panel`;
}

