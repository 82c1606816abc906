/**
 * Value checks that depend on how the data will be used, after reading (the reader itself refuses
 * cells beyond ±MAX_ABS_VALUE). Each error names the file, the row as the file counts it and the column.
 */
import { DataError } from './errors';
import type { Dataset } from './types';

/** Largest float32 (training runs in 32-bit floats). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Without normalization the network sees raw values in 32-bit floats: a value past FLOAT32_MAX becomes
 * Infinity and the run "diverges" for no visible reason. Say so before training.
 */
export function checkFloat32Range(ds: Dataset, columns: string[]): void {
  for (const c of columns) {
    const v = ds.data[c];
    if (!v) continue;
    for (let i = 0; i < v.length; i++) {
      if (Math.abs(v[i]) > FLOAT32_MAX) {
        throw new DataError(
          ds.source,
          `${v[i].toExponential(3)} is beyond the range of 32-bit floats (±3.4e38), which training uses; with --normalize none the raw values go into the network: use --normalize minmax or standard, or rescale the column`,
          { row: ds.rowOf ? ds.rowOf(i) : undefined, column: c },
        );
      }
    }
  }
}
