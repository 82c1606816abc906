import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usage } from '../../../src/cli/common';
test('usage names every command', () => {
  for (const c of ['lint', 'train', 'analyze', 'export']) assert.match(usage(), new RegExp(`\\b${c}\\b`));
});
