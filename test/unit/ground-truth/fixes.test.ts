/**
 * Ground truth for quick fixes: lint a rule's `bad.py`, apply every fix of that rule (unsafe ones
 * too), run the fixed script with real PyTorch, and check that exactly the cases whose problem has
 * a fix now behave. A fix that only silences the linter fails here. See docs/ground-truth.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyFixes, createLinter } from '../../../src/core/lint/index';
import { CONCURRENCY, FIXTURES, GT_DIR, parseGroundTruth, pickPython, pool, runScript } from './helpers';

/**
 * Known defects, reported as TODO (they run and print, but do not fail the suite) until fixed.
 * None at present: add `CODE: 'what is wrong'` here only with an issue to fix it.
 */
const KNOWN_DEFECTS: Record<string, string> = {};

/** For each rule with fixes: the cases of its bad.py that a fix repairs; every other case must still misbehave. */
const REPAIRED: Record<string, string[]> = {
  AGL001: ['seed003_jacobian_requires_grad', 'sobolev_grad_no_create_graph', 'pinn_positional_retain_graph_only', 'helper_then_requires_grad_attr', 'loss_function_returns_force_term_without_graph'],
  AGL002: ['math_exp_on_tensor'],
  AGL018: ['image_gradient_norm_over_channels'],
  AGL009: ['grad_under_no_grad', 'grad_under_set_grad_enabled_false', 'backward_in_no_grad_decorated_function', 'optimizer_closure_in_no_grad_step'],
  AGL012: ['tensor_int_literals', 'arange_int', 'zeros_long', 'requires_grad_method', 'chained_requires_grad_', 'bool_literals', 'randint_attribute'],
  AGL013: ['iadd_on_leaf', 'add_underscore_on_leaf', 'manual_update_outside_no_grad', 'mul_underscore_on_parameter'],
  AGL014: ['to_dtype_after_requires_grad', 'arithmetic_after_requires_grad'],
};

const { python, problem } = pickPython();
const unavailable = problem !== undefined;

test('fixes repair what they claim, measured with PyTorch', { skip: unavailable && !process.env.CI }, async (t) => {
  assert.ok(!unavailable, `no usable Python interpreter for the ground truth: ${problem}`);
  const linter = await createLinter();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autograd-lens-fixes-'));
  try {
    const codes = Object.keys(REPAIRED);
    const prepared = codes.map((code) => {
      const source = readFileSync(path.join(FIXTURES, code, 'bad.py'), 'utf8');
      const diags = linter.lint(source).filter((d) => d.code === code);
      const { output, applied } = applyFixes(source, diags, { unsafe: true });
      const again = linter.lint(output).filter((d) => d.code === code && d.fixes.length > 0);
      const file = path.join(dir, `${code}_bad_fixed.py`);
      writeFileSync(file, output);
      return { code, file, applied, again: again.length };
    });
    const runs = await pool(prepared, CONCURRENCY, (p) => runScript(python, p.file, { PYTHONPATH: GT_DIR }));
    for (const [i, p] of prepared.entries()) {
      const run = runs[i]!;
      await t.test(p.code, KNOWN_DEFECTS[p.code] ? { todo: KNOWN_DEFECTS[p.code] } : {}, () => {
        assert.ok(p.applied > 0, `${p.code}: no fix was applied`);
        assert.equal(p.again, 0, `${p.code}: re-linting the fixed file still reports fixable problems`);
        const records = parseGroundTruth(run.stdout);
        assert.ok(records.length > 0, `${p.code}: fixed script printed no GROUND_TRUTH line; stderr:\n${run.stderr}`);
        const repaired = new Set(REPAIRED[p.code]);
        for (const r of records) {
          assert.equal(r.error, undefined, `${p.code} ${r.case}: fixed script raised unexpectedly: ${r.error}`);
          assert.equal(
            r.misbehaves,
            !repaired.has(r.case),
            `${p.code} ${r.case}: ${repaired.has(r.case) ? 'the fix did not repair it' : 'expected no fix here'}; measured: ${r.detail}`,
          );
        }
        for (const name of repaired) assert.ok(records.some((r) => r.case === name), `${p.code}: case ${name} missing`);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
