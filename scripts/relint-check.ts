/**
 * Does the re-lint by groups (`lintDocument`, docs/lint-engine.md "Re-lint by groups of statements") give what
 * the whole-file lint gives, on real files? A rule that reads the whole file without telling the grouping (a fact
 * not read through `fileFact`, a word not probed with `probeWord`) gives a group a different answer; the random edits
 * of test/unit/lint/incremental.test.ts find such reads on the fixtures, this finds them on real code.
 *
 *   npx tsx scripts/relint-check.ts PATH...   # Python files, or directories searched for them
 *
 * Each file is linted once by `lintDocument` (fresh, no earlier version) and once by `lint`, and every difference is
 * printed; the last line counts the files, those the grouping did not send back to the whole file, and the
 * mismatches. Exit status 1 when there is a mismatch.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, Engine } from '../src/core/lint/index';

function pythonFiles(path: string, out: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const e of readdirSync(path).sort()) if (!e.startsWith('.')) pythonFiles(join(path, e), out);
  } else if (path.endsWith('.py')) out.push(path);
}

async function main(): Promise<void> {
  const files: string[] = [];
  for (const p of process.argv.slice(2)) pythonFiles(p, files);
  if (files.length === 0) throw new Error('usage: relint-check.ts PATH... (Python files or directories)');
  const byGroups = (await createLinter()) as Engine;
  const whole = await createLinter();
  let grouped = 0;
  let mismatches = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const uri = `file:///${f}`;
    const got = JSON.stringify(byGroups.lintDocument(uri, text, { path: f }));
    if (byGroups.lastRelint.whole === null) grouped++;
    byGroups.forget(uri);
    const want = JSON.stringify(whole.lint(text, { path: f }));
    if (got === want) continue;
    mismatches++;
    console.log(`MISMATCH ${f} (${byGroups.lastRelint.groups} groups)\n  by groups: ${got.slice(0, 400)}\n  whole:     ${want.slice(0, 400)}`);
  }
  console.log(`${files.length} files, ${grouped} re-linted by groups, ${mismatches} mismatches`);
  process.exitCode = mismatches > 0 ? 1 : 0;
}

void main();
