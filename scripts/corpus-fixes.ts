/**
 * `lint --fix` over the real-world corpus: which entries the safe fixes change, whether the result compiles,
 * whether the fixed warnings are gone, and — for PyTorch entries whose gt.py runs the snippet — what the ground
 * truth says of the fixed snippet (test/corpus/fixes.ts explains each check).
 *
 *   npx tsx scripts/corpus-fixes.ts [--dir test/corpus/holdout] [--no-ground-truth] [--json]
 *
 * Exit status 1 when a fix breaks compilation, changes a correct look-alike, leaves its own warning, or makes a
 * ground-truth case raise.
 */
import path from 'node:path';
import { createLinter } from '../src/core/lint/index';
import { loadEntries } from '../test/corpus/corpus';
import { fixCorpus, groundTruthChange } from '../test/corpus/fixes';
import { pickPython } from '../test/unit/ground-truth/helpers';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirAt = args.indexOf('--dir');
  const entries = loadEntries(dirAt >= 0 ? path.resolve(args[dirAt + 1]) : undefined);
  const { python, problem } = pickPython();
  const groundTruth = !args.includes('--no-ground-truth') && problem === undefined;
  const linter = await createLinter();
  const results = await fixCorpus(entries, linter, python, { groundTruth });
  if (args.includes('--json')) {
    console.log(JSON.stringify(results.map(({ output: _o, ...r }) => r), null, 2));
  }
  let bad = 0;
  const rows: string[] = [];
  const tally = { changed: results.length, bug: 0, ok: 0, measured: 0, cured: 0, stillBad: 0 };
  for (const f of results) {
    tally[f.label]++;
    const gt = groundTruthChange(f);
    if (f.groundTruth) tally.measured++;
    if (gt.cured.length > 0 && gt.stillBad.length === 0) tally.cured++;
    if (gt.stillBad.length > 0) tally.stillBad++;
    const problems = [
      f.compileError ? `does not compile: ${f.compileError}` : '',
      f.label === 'ok' ? 'a correct look-alike was changed' : '',
      f.remaining.length > 0 ? `warnings left: ${f.remaining.join(', ')}` : '',
      ...gt.broken.map((c) => `ground truth raises: ${c}`),
      ...gt.changedOk.map((c) => `look-alike's case changed verdict: ${c}`),
    ].filter(Boolean);
    if (problems.length > 0) bad++;
    const where = f.label === 'bug' && !f.onMistake ? ' (the fix is off the recorded mistake)' : '';
    const measure = (!f.groundTruth ? 'not measured' : gt.cured.length > 0 && gt.stillBad.length === 0 ? 'symptom gone' : gt.stillBad.length > 0 ? `symptom remains (${gt.stillBad.join(', ')})` : 'same') + where;
    rows.push(`${problems.length > 0 ? 'PROBLEM ' : 'ok      '} ${f.id} [${f.label}] ${[...new Set(f.fixedCodes)].join(',')}: ${measure}${problems.length > 0 ? ' — ' + problems.join('; ') : ''}`);
  }
  if (!args.includes('--json')) {
    for (const r of rows) console.log(r);
    console.log(
      `\n${entries.length} entries; safe fixes change ${tally.changed} (${tally.bug} mistakes, ${tally.ok} look-alikes); ` +
        `${tally.measured} measured with PyTorch: symptom gone in ${tally.cured}, remains in ${tally.stillBad}; ${bad} with a problem` +
        (groundTruth ? '' : ` (ground truth not run${problem ? `: ${problem}` : ''})`),
    );
  }
  process.exitCode = bad > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
