/**
 * The workspace a lint reads imports from (core/lint/workspace.ts), on disk: the Python files under some root
 * folders (the command line's current folder and paths, the editor's workspace folders), read on demand and
 * decoded as CPython decodes them. A file outside the roots (an installed library, another project) is not
 * read: its imports stay library names, as when a file is linted by itself. Used by the CLI and by the
 * editor's lint worker (both Node); the engine itself reads nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { WorkspaceFiles } from '../core/lint/index';
import { decodePythonSource } from '../core/lint/pysource';

/**
 * `roots` are folders. A text read is kept while the file's size and modification time stay the same (the
 * editor's worker lints again after every edit). With `stable` (the command line: files do not change during a
 * run), a path is looked at once, found or not: resolving a module tries several paths for every import, and a
 * `stat` each time was about 13 % of linting PyTorch's sources.
 */
export function diskWorkspace(roots: readonly string[], cwd = process.cwd(), opts: { stable?: boolean } = {}): WorkspaceFiles {
  const dirs = roots.map((r) => resolve(cwd, r)).map((r) => (r.endsWith(sep) ? r : r + sep));
  const within = (abs: string): boolean => dirs.some((d) => abs.startsWith(d));
  const texts = new Map<string, { stamp: string; text: string | null }>();
  return {
    read(path: string): string | null {
      const abs = resolve(cwd, path);
      if (!abs.endsWith('.py') || !within(abs)) return null;
      if (opts.stable) {
        const seen = texts.get(abs);
        if (seen) return seen.text;
      }
      let stamp: string;
      try {
        const st = statSync(abs);
        if (!st.isFile()) {
          if (opts.stable) texts.set(abs, { stamp: '', text: null });
          return null;
        }
        stamp = `${st.size}:${st.mtimeMs}`;
      } catch {
        if (opts.stable) texts.set(abs, { stamp: '', text: null });
        return null;
      }
      const known = texts.get(abs);
      if (known?.stamp === stamp) return known.text;
      let text: string | null = null;
      try {
        text = decodePythonSource(readFileSync(abs)).text;
      } catch {
        text = null; // unreadable or undecodable: not followed (linting that file itself says why)
      }
      texts.set(abs, { stamp, text });
      return text;
    },
  };
}
