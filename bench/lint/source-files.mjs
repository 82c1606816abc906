/**
 * The Python files of a tree, as every lint benchmark walks it (lint-bench.mjs, native-parse.mjs,
 * lint-throughput.ts, relint.ts), so that their figures are over the same files: sorted by name at each
 * level, dangling links skipped, and no caches, virtual environments or installed packages.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SKIPPED_DIRS = new Set(['__pycache__', '.git', 'node_modules', 'site-packages', '.venv', 'venv', '.ipynb_checkpoints']);

/** Files under `dir` whose names end with `ext` (default `.py`). */
export function sourceFiles(dir, ext = '.py', out = []) {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // a dangling link
    }
    if (st.isDirectory()) {
      if (!SKIPPED_DIRS.has(e)) sourceFiles(p, ext, out);
    } else if (e.endsWith(ext)) out.push(p);
  }
  return out;
}
