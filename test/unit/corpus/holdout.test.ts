/**
 * The held-out set (test/corpus/holdout/, docs/corpus.md "Held-out set"): real derivative mistakes and
 * correct look-alikes collected apart from the development corpus, so that recall can be measured on
 * code the engine was never tuned on. This test checks the entries' format, that no source is shared
 * with the development corpus, and runs every PyTorch entry's gt.py with real PyTorch. It does not
 * score the linter: the held-out score is reported (`npx tsx scripts/corpus.ts score --dir
 * test/corpus/holdout`), not a ratchet.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPythonParser } from '../../../src/core/lint/parser';
import { checkEntries, HOLDOUT_DIR, loadEntries } from '../../corpus/corpus';
import { CONCURRENCY, parseGroundTruth, pickPython, pool, runScript } from '../ground-truth/helpers';

const entries = loadEntries(HOLDOUT_DIR);

test('the held-out set has entries of every framework, bugs and look-alikes', () => {
  for (const fw of ['pytorch', 'tensorflow', 'jax'] as const) {
    assert.ok(entries.some((e) => e.framework === fw && e.label === 'bug'), `no ${fw} bug entry`);
  }
  assert.ok(entries.some((e) => e.label === 'ok'), 'no correct look-alike');
});

test('every held-out entry is well formed', async () => {
  const parser = await loadPythonParser();
  const problems = checkEntries(entries, (src) => !parser.parse(src).hasError);
  assert.deepEqual(problems, [], problems.map((p) => `${p.id}: ${p.problem}`).join('\n'));
});

test('no held-out source or id is in the development corpus', () => {
  const dev = loadEntries();
  const devSources = new Set(dev.map((e) => e.source.replace(/[#?].*$/, '').replace(/\/$/, '')));
  const devIds = new Set(dev.map((e) => e.id));
  const shared = entries.filter((e) => devSources.has(e.source.replace(/[#?].*$/, '').replace(/\/$/, '')) || devIds.has(e.id));
  assert.deepEqual(shared.map((e) => `${e.id} (${e.source})`), []);
});

/** `owner/name` and the file path of a GitHub source (`.../blob/<ref>/<path>`), or the repository alone (a commit, an issue). */
function githubPlace(source: string): { repo: string; path: string | null } | null {
  const m = /^https?:\/\/github\.com\/([^/]+\/[^/#?]+)(?:\/blob\/[^/]+\/([^#?]+))?/.exec(source);
  return m ? { repo: m[1]!.toLowerCase(), path: m[2] ?? null } : null;
}

test('no file of a repository is both a held-out source and the code of a development entry', () => {
  // A development entry quoting the same file under another URL (a bug-fix commit of the file a held-out entry
  // quotes at a pinned version: PINA's ntk_weighting.py once) would let the engine be tuned on held-out code.
  // A `git`/`repo` entry names its file in `notes` or in its blob URL.
  const dev = loadEntries();
  const shared: string[] = [];
  for (const h of entries) {
    const place = githubPlace(h.source);
    if (!place?.path) continue;
    for (const d of dev) {
      const dp = githubPlace(d.source);
      if (dp?.repo !== place.repo) continue;
      if (dp.path === place.path || readNotes(d.dir).includes(place.path)) shared.push(`${h.id} ~ ${d.id} (${place.repo}/${place.path})`);
    }
  }
  assert.deepEqual(shared, []);
});

function readNotes(dir: string): string {
  try {
    return /^notes\s*=\s*"(.*)"\s*$/m.exec(readFileSync(path.join(dir, 'meta.toml'), 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

const { python, problem } = pickPython();
const unavailable = problem !== undefined;

test('held-out ground truth with real PyTorch', { skip: unavailable && !process.env.CI }, async (t) => {
  assert.ok(!unavailable, `no usable Python interpreter for the ground truth: ${problem}`);
  const runnable = entries.filter((e) => e.framework === 'pytorch' && e.hasGroundTruth);
  const results = await pool(runnable, CONCURRENCY, async (e) => ({ e, r: await runScript(python, path.join(e.dir, 'gt.py')) }));
  for (const { e, r } of results) {
    await t.test(e.id, () => {
      const records = parseGroundTruth(r.stdout);
      assert.ok(records.length > 0, `no GROUND_TRUTH line (exit ${r.exitCode}): ${r.stderr.slice(-800)}`);
      for (const rec of records) {
        assert.equal(rec.error, undefined, `${rec.case} raised: ${rec.error}`);
        assert.equal(rec.case, e.id, `gt.py registers '${rec.case}', expected the entry id`);
        assert.equal(rec.misbehaves, e.label === 'bug', `${rec.case}: label ${e.label} but misbehaves=${rec.misbehaves} (${rec.detail})`);
      }
    });
  }
});
