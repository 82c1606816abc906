/**
 * The training command's presets and run labels, derived from the settings the engine will use
 * (`defaultTrainSpec`), so a description can never drift from what runs. Pure (no `vscode` import;
 * unit-tested in test/unit/vscode/presets.test.ts).
 */
import type { TrainSpec } from '../../core/model/types';
import { LARGE_DATA_ROWS } from '../../core/model/defaults';
import { defaultTrainSpec } from '../../core/pipeline/defaults';
import { fmt, layersText } from '../../shared/format';

export type PresetId = 'defaults' | 'derivatives' | 'derivatives-only' | 'quick';

export interface Preset {
  id: PresetId;
  label: string;
  /** What the preset changes relative to the defaults (nothing for "Defaults"). */
  spec: Partial<TrainSpec>;
  /** Why someone would pick it. */
  purpose: string;
}

export const PRESETS: readonly Preset[] = [
  { id: 'defaults', label: 'Defaults', spec: {}, purpose: 'the settings tuned on the seed problems' },
  { id: 'derivatives', label: 'Emphasise derivatives', spec: { gradWeight: 10 }, purpose: 'the derivative term weighted 10× the value term' },
  {
    id: 'derivatives-only',
    label: 'Derivatives only',
    spec: { fit: 'derivatives' },
    purpose: 'fit the derivative columns only, even where a value column exists (values are then known only up to a constant)',
  },
  { id: 'quick', label: 'Quick look', spec: { hidden: [32, 32], epochs: 150 }, purpose: 'a small network, few epochs' },
];

/** What the user chose before the preset step. */
export interface PresetContext {
  /** Outputs to train. */
  outputs: string[];
  /** Derivative columns chosen (output/input pairs). */
  grads: Pick<TrainSpec['grads'][number], 'output' | 'input'>[];
}

/** The presets that make sense for the choice: derivative presets only with derivative columns. */
export function presetsFor(ctx: PresetContext): Preset[] {
  const hasGrads = ctx.grads.length > 0;
  const everyOutput = hasGrads && ctx.outputs.every((o) => ctx.grads.some((g) => g.output === o));
  return PRESETS.filter((p) => (p.id === 'derivatives' ? hasGrads : p.id === 'derivatives-only' ? everyOutput : true));
}

/** The full settings a preset trains with (the engine's defaults plus the preset's changes). */
export function presetSettings(p: Preset): TrainSpec {
  return defaultTrainSpec({ ...p.spec });
}

export { layersText };

/**
 * One line of what a preset trains with, from the settings themselves:
 * "2×64 silu, 1000 epochs, batch up to 64, learning rate 0.01 decaying to 1 %, derivative weight 1; above
 * 100,000 rows larger batches and fewer epochs"
 * (2×64: two hidden layers of 64 units).
 */
export function describePreset(p: Preset, ctx: PresetContext): string {
  const s = presetSettings(p);
  // Without a batch size of its own the run uses up to the default, fewer rows for small files
  // (dataScaledSettings in the pipeline).
  const batch = p.spec.batchSize !== undefined ? `batch ${s.batchSize}` : `batch up to ${s.batchSize}`;
  const parts = [`${layersText(s.hidden)} ${s.activation}`, `${s.epochs} epochs`, batch, `learning rate ${fmt(s.learningRate)} decaying to 1 %`];
  if (ctx.grads.length) {
    if ((s.fit ?? 'both') === 'derivatives') parts.push('derivative columns only (values are checked, up to a constant)');
    else parts.push(`derivative weight ${fmt(s.gradWeight)}`);
  }
  if (s.validationSplit > 0) parts.push(`${fmt(100 * s.validationSplit)} % held out for validation`);
  // What the preset leaves open also scales up for large files (dataScaledSettings in the pipeline).
  const open = [p.spec.batchSize === undefined ? 'larger batches' : '', p.spec.epochs === undefined ? 'fewer epochs' : ''].filter(Boolean);
  return `${parts.join(', ')}${open.length ? `; above ${LARGE_DATA_ROWS.toLocaleString('en-US')} rows ${open.join(' and ')}` : ''}`;
}

/** Whether a run with these settings is trained on derivative columns (not only checked against them). */
export function trainsOnDerivatives(spec: Partial<TrainSpec>): boolean {
  const full = defaultTrainSpec(spec);
  return (spec.grads?.length ?? 0) > 0 && (full.fit ?? 'both') !== 'values' && full.gradWeight > 0;
}

/**
 * The run's label: data file, inputs → outputs, and what it was trained on — "+ derivatives" only when
 * the derivative columns are in the loss, "derivatives only" when the values are not (a derivative-only
 * fit, or no output has a value column; `valueColumns`: the outputs the file has a column for, when
 * known).
 */
export function runLabel(dataFile: string, spec: Partial<TrainSpec> & Pick<TrainSpec, 'inputs' | 'outputs'>, valueColumns?: string[]): string {
  const base = `${dataFile}: ${spec.inputs.join(',')} → ${spec.outputs.join(',')}`;
  if (!trainsOnDerivatives(spec)) return base;
  const noValues = valueColumns !== undefined && !spec.outputs.some((o) => valueColumns.includes(o));
  return (spec.fit ?? 'both') === 'derivatives' || noValues ? `${base}, derivatives only` : `${base} + derivatives`;
}
