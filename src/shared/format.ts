/**
 * Number formatting shared by every place a person reads results: the panel, the CLI's text output
 * and the output channel. Relative errors are shown in percent everywhere a person reads them
 * (`pct`); the machine-readable forms (`--json`, saved metadata) keep fractions.
 */

/** A number for reading: 4 significant digits, exponent form for very large or small values. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return Number(v.toPrecision(4)).toString();
}

/** A fraction (relative error) in percent with 3 significant digits: 0.01234 → "1.23 %". */
export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return fmt(v);
  return `${Number((v * 100).toPrecision(3))} %`;
}

/**
 * A lint message for places that show plain text (VS Code diagnostics, the CLI's text output): the
 * rules write code in backticks, which those places would print literally, so `name` becomes 'name'.
 */
export function plainText(message: string): string {
  return message.replace(/`+([^`]+?)`+/g, "'$1'");
}

/** What a derivative metric was computed against (`DerivativeMetrics.reference`). */
export type ComparisonKind = 'expression' | 'column' | 'finite-difference';

/**
 * Words for what a derivative was compared with. Finite differences of the network itself are a
 * self-consistency check (does the derivative code agree with the network's own slopes?), not a
 * measure of how right the derivative is, and are labelled so wherever a metric is shown.
 */
export function comparisonLabel(kind: ComparisonKind): string {
  switch (kind) {
    case 'expression':
      return 'reference formula';
    case 'column':
      return 'derivative column of the data';
    case 'finite-difference':
      return 'self-consistency only (finite differences of the network)';
  }
}

/** How to turn a self-consistency check into an accuracy measurement, per place the user works in. */
export function selfConsistencyNote(where: 'cli' | 'editor'): string {
  const how =
    where === 'cli'
      ? 'add --reference "Y = EXPR" (an analytic formula) or --grad Y:X=COLUMN (derivative samples in the data)'
      : 'give a reference formula in the training or analysis steps, or pick derivative columns of the data';
  return `Without a reference, the derivative error is the network against its own finite differences: a self-consistency check of the derivative code, not accuracy. To measure accuracy, ${how}.`;
}

/** The hidden layers in words: `2×64` for two layers of 64, `64-32` for unequal widths. */
export function layersText(hidden: readonly number[]): string {
  return hidden.every((w) => w === hidden[0]) ? `${hidden.length}×${hidden[0]}` : hidden.join('-');
}
