/**
 * `SemanticModel.fileFact` tests each whole-file fact when it is first asked, not all of them at once.
 * Whatever the order of the questions, every answer must be the bit `factBits` (all facts at once, the
 * re-lint by groups' test) gives for the same text: checked on every fixture and the corpus snippets,
 * each asked in a different order, and on texts made to hold exactly one code fact in code and the
 * others only in comments and strings.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FACT_NAMES, factBits } from '../../../src/core/lint/facts';
import { loadPythonParser } from '../../../src/core/lint/parser';
import { SemanticModel, withoutCommentsAndStrings } from '../../../src/core/lint/semantic';
import { allFixtures, findPy, ROOT } from './helpers';

test('fileFact answers exactly as factBits, in any order of questions', async () => {
  const parser = await loadPythonParser();
  const texts = [...allFixtures(), ...findPy(join(ROOT, 'test/corpus/entries'))].map((f) => readFileSync(f, 'utf8'));
  texts.push(
    '# torch.autograd.grad(f(x), x, create_graph=True)\nimport jax\nprint("grad(grad(f))")\n',
    'import torch\ny = torch.autograd.grad(grad(f)(x), x, create_graph=True)\n',
    's = "vars(x)"\n# eval(x)\nexec(code)\n',
  );
  let held = 0;
  texts.forEach((text, k) => {
    const tree = parser.parse(text);
    const expected = factBits(text, () => withoutCommentsAndStrings(tree));
    const model = new SemanticModel(tree);
    // A different order per text: rotated by k, reversed on odd k, and each fact asked twice.
    const order = FACT_NAMES.map((_, i) => FACT_NAMES[(i + k) % FACT_NAMES.length]);
    if (k % 2) order.reverse();
    for (const name of [...order, ...order]) {
      const bit = (expected & (1 << FACT_NAMES.indexOf(name))) !== 0;
      assert.equal(model.fileFact(name), bit, `fact ${name} of text ${k}`);
      if (bit) held++;
    }
    assert.deepEqual([...model.probedFacts].sort(), [...FACT_NAMES].sort());
  });
  // The texts must exercise both answers (a test that only ever saw `false` could not fail).
  assert.ok(held > 0 && held < texts.length * FACT_NAMES.length * 2, `${held} facts held`);
});
