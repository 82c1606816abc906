/**
 * The real-world corpus (test/corpus/README.md): validate entries and score the linter on them.
 *
 *   npx tsx scripts/corpus.ts check            validate every entry (metadata, lines, parse); exit 1 on a problem
 *   npx tsx scripts/corpus.ts score            recall / clean rate per class and framework (text)
 *   npx tsx scripts/corpus.ts score --json     the same as JSON
 *   npx tsx scripts/corpus.ts score --write    rewrite test/corpus/score.json and the tables in docs/corpus.md
 *   npx tsx scripts/corpus.ts score --verbose  also list every entry's outcome and diagnostics
 *   --dir test/corpus/holdout                  check or score another folder of entries (the held-out set);
 *                                              --write is refused with --dir (score.json is the development corpus's)
 *
 * The scoring logic lives in test/corpus/corpus.ts so that the ratchet test uses the same code.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from '../src/core/lint/index';
import { loadPythonParser } from '../src/core/lint/parser';
import { CORPUS_DIR, checkEntries, loadEntries, renderTables, scoreCorpus, writeDocsTables } from '../test/corpus/corpus';

async function main(): Promise<void> {
  const [cmd = 'score', ...rest] = process.argv.slice(2);
  const dirAt = rest.indexOf('--dir');
  const dir = dirAt >= 0 ? rest[dirAt + 1] : undefined;
  if (dirAt >= 0 && (!dir || !existsSync(dir))) {
    console.error(`--dir needs an existing folder of entries (got ${JSON.stringify(dir ?? '')})`);
    process.exitCode = 2;
    return;
  }
  if (dir && rest.includes('--write')) {
    console.error('--write rewrites the development corpus figures; it cannot be combined with --dir');
    process.exitCode = 2;
    return;
  }
  const entries = loadEntries(dir ? path.resolve(dir) : undefined);
  const linter = await createLinter();
  if (cmd === 'check') {
    const parser = await loadPythonParser();
    const problems = checkEntries(entries, (src) => !parser.parse(src).hasError);
    for (const p of problems) console.log(`${p.id}: ${p.problem}`);
    console.log(`${entries.length} entries, ${problems.length} problem(s)`);
    process.exitCode = problems.length > 0 ? 1 : 0;
    return;
  }
  if (cmd !== 'score') {
    console.error(`unknown command '${cmd}' (check | score)`);
    process.exitCode = 2;
    return;
  }
  const score = scoreCorpus(entries, linter);
  if (rest.includes('--json')) {
    console.log(JSON.stringify(score, null, 2));
    return;
  }
  if (rest.includes('--verbose')) {
    for (const o of score.entries) {
      const mark = o.label === 'bug' ? (o.detected ? 'DETECTED' : 'missed  ') : o.clean ? 'clean   ' : 'FALSE+  ';
      console.log(`${mark} ${o.id} [${o.framework}/${o.class}] ${o.codes.join(',')}`);
      for (const d of o.diagnostics) console.log(`           ${d}`);
    }
    console.log();
  }
  if (rest.includes('--write')) {
    writeFileSync(path.join(CORPUS_DIR, 'score.json'), JSON.stringify(score.summary, null, 2) + '\n');
    writeDocsTables(score);
  }
  console.log(renderTables(score));
  if (rest.includes('--write')) console.log('wrote test/corpus/score.json and docs/corpus.md');
}

void main();
