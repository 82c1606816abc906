/**
 * Loops in the analysis: the first round runs from the state before the loop, the later rounds from the states at
 * the end of the body only (interpreter.ts `runLoop`). A value bound before the loop and replaced in it is seen by
 * the first round, not by the later ones; a `.grad` buffer is accumulated only when a later round's backward still
 * reaches the leaf. Ground truth for both forms: test/fixtures/lint/AGL004/bad_later_rounds_copy.py.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Interpreter } from '../../../src/core/lint/analysis/interpreter';
import { loadPythonParser } from '../../../src/core/lint/parser';
import { SemanticModel } from '../../../src/core/lint/semantic';

async function gradRead(src: string): Promise<{ accumulated: boolean; fills: number }> {
  const parser = await loadPythonParser();
  const a = new Interpreter(new SemanticModel(parser.parse(src))).run();
  const reads = a.events.gradReads.filter((g) => g.owner.t?.leafOf != null);
  assert.equal(reads.length, 1, 'one .grad read of a known leaf');
  return { accumulated: reads[0].accumulated, fills: reads[0].fills.length };
}

const LATER_ROUNDS_COPY = `
import torch
def attack(model, image, target):
    perturbed = image.clone()
    image.requires_grad = True
    out = model(image).clone()
    for i in range(5):
        loss = ((out - target) ** 2).mean()
        loss.backward(retain_graph=True)
        g = image.grad.data
        perturbed = perturbed + 0.01 * g.sign()
        out = model(perturbed)
    return perturbed
`;

const EVERY_ROUND_REACHES = `
import torch
def attack(model, image, target):
    image.requires_grad = True
    for i in range(5):
        out = model(image)
        loss = ((out - target) ** 2).mean()
        loss.backward()
        g = image.grad.data
    return g
`;

test('loop rounds: a value replaced in the loop reaches the first round only (no accumulation)', async () => {
  const r = await gradRead(LATER_ROUNDS_COPY);
  assert.equal(r.fills, 1);
  assert.equal(r.accumulated, false);
});

test('loop rounds: a loss that reaches the leaf in every round accumulates into its .grad', async () => {
  const r = await gradRead(EVERY_ROUND_REACHES);
  assert.equal(r.accumulated, true);
});
