/**
 * The real-world corpus (test/corpus/README.md): every entry is well formed, and the linter's recall and
 * false positives on it never get worse than the committed figures in test/corpus/score.json (a
 * ratchet, per framework and per class). After an improvement, rewrite the figures with
 * `npx tsx scripts/corpus.ts score --write` and commit them with the change.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createLinter } from '../../../src/core/lint/index';
import { loadPythonParser } from '../../../src/core/lint/parser';
import { checkEntries, CORPUS_DIR, loadEntries, scoreCorpus, type ScoreSummary, type Tally } from '../../corpus/corpus';

const entries = loadEntries();

test('every corpus entry is well formed', async () => {
  const parser = await loadPythonParser();
  const problems = checkEntries(entries, (src) => !parser.parse(src).hasError);
  assert.deepEqual(problems, [], problems.map((p) => `${p.id}: ${p.problem}`).join('\n'));
});

test('recall and false positives on the corpus are no worse than committed', async () => {
  const file = path.join(CORPUS_DIR, 'score.json');
  assert.ok(existsSync(file), 'test/corpus/score.json is missing: run npx tsx scripts/corpus.ts score --write');
  const committed = JSON.parse(readFileSync(file, 'utf8')) as ScoreSummary;
  const linter = await createLinter();
  const now = scoreCorpus(entries, linter).summary;
  const problems: string[] = [];
  const compare = (what: string, was: Tally | undefined, is: Tally | undefined): void => {
    if (!was) return;
    const detected = is?.detected ?? 0;
    const falsePositives = is ? is.ok - is.clean : 0;
    if (detected < was.detected) problems.push(`${what}: detected ${detected} < committed ${was.detected}`);
    if (falsePositives > was.ok - was.clean) problems.push(`${what}: ${falsePositives} look-alikes warned > committed ${was.ok - was.clean}`);
  };
  compare('all', committed.total, now.total);
  for (const [k, v] of Object.entries(committed.byFramework)) compare(`framework ${k}`, v, now.byFramework[k]);
  for (const [k, v] of Object.entries(committed.byClass)) compare(`class ${k}`, v, now.byClass[k]);
  const lost = committed.detected.filter((id) => !now.detected.includes(id));
  const newFalse = now.falsePositives.filter((id) => !committed.falsePositives.includes(id));
  assert.deepEqual(
    problems,
    [],
    `${problems.join('\n')}\nno longer detected: ${lost.join(', ') || '-'}\nnewly warned look-alikes: ${newFalse.join(', ') || '-'}`,
  );
});
