/** Configuration problems say where they are and what is wrong; unknown rule codes name the closest real one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, closestRuleCode, describeUnknownCode, locateCodeInPyproject, parsePyprojectConfig, unknownRuleCodes } from '../../../src/core/lint/config';
import { RULES } from '../../../src/core/lint/index';

const KNOWN = RULES.map((r) => r.code);
/**
 * The last rule code and a misspelling of it with an extra digit, which names no rule: its closest real code is LAST
 * (one edit away; every other code is two or more). The next number is not used: `AGL060` is one edit from `AGL050`.
 */
const LAST = KNOWN[KNOWN.length - 1]!;
const NEXT = `AGL9${LAST.slice(3)}`;

function configError(toml: string): ConfigError {
  try {
    parsePyprojectConfig(toml);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail(`no error for ${JSON.stringify(toml)}`);
}

test('TOML mistakes people make in the table: the real cause at its line and column', () => {
  const cases: [string, number, number, RegExp][] = [
    ['[tool.autograd-lens]\nselect = [AGL001]\n', 2, 11, /AGL001 needs quotes \("AGL001"\)/],
    ['[tool.autograd-lens.severity]\nAGL001 = info\n', 2, 10, /info needs quotes \("info"\)/],
    ['[tool.autograd-lens]\nseverity = { AGL001 = warning }\n', 2, 23, /warning needs quotes/],
    ['[tool.autograd-lens]\nignore = ["AGL001"\n', 2, 10, /the list opened here is not closed with '\]'/],
    ['[tool.autograd-lens]\nseverity = { AGL001 = "info"\n', 2, 12, /the inline table opened here is not closed with '\}'/],
    ['[tool.autograd-lens\nselect = ["AGL"]\n', 1, 1, /the table header \[tool\.autograd-lens is not closed with '\]'/],
    ['[tool.autograd-lens]\nselect = ["AGL"]\nselect = ["AGL0"]\n', 3, 1, /'select' is defined twice/],
    ['[tool.autograd-lens]\nselect = ["AGL001"]]\n', 2, 20, /unexpected '\]' after the value/],
  ];
  for (const [toml, line, column, cause] of cases) {
    const e = configError(toml);
    assert.equal(e.line, line, `${JSON.stringify(toml)}: ${e.message}`);
    assert.equal(e.column, column, `${JSON.stringify(toml)}: ${e.message}`);
    assert.match(e.detail, /^invalid TOML: /);
    assert.match(e.detail, cause);
    assert.equal(e.message, `line ${line}, column ${column}: ${e.detail}`);
  }
  // A comment or a string holding brackets does not count as an open list.
  const e = configError('[tool.autograd-lens]\n# [ not a list\nname = "a [b"\nignore = ["AGL001"\n');
  assert.equal(e.line, 4);
  assert.match(e.detail, /list opened here/);
});

test('value errors keep their words (no position needed)', () => {
  assert.throws(() => parsePyprojectConfig('[tool.autograd-lens]\nselcet = ["AGL"]\n'), /unknown key 'selcet'/);
});

test('the closest real code: smallest edit distance, then the nearest number; nothing when far', () => {
  assert.equal(closestRuleCode(NEXT, KNOWN), LAST);
  assert.equal(closestRuleCode('AGL9001', KNOWN), 'AGL001');
  assert.equal(closestRuleCode('agl9009', KNOWN), 'AGL009');
  assert.equal(closestRuleCode('AGL0001', KNOWN), 'AGL001');
  assert.equal(closestRuleCode('AGL1', KNOWN), 'AGL001');
  assert.equal(closestRuleCode('E501', KNOWN), undefined);
});

test('unknown codes in select, ignore and severity; prefixes are fine where a prefix is allowed', () => {
  const where = { select: 'select', ignore: 'ignore', severity: 'severity' };
  const u = unknownRuleCodes({ select: ['AGL', 'AGL00', 'AGL01', NEXT], ignore: ['E501'], severity: { AGL001: 'info', AGL00: 'off', AGL9009: 'off' } }, KNOWN, where);
  assert.deepEqual(u, [
    { code: NEXT, where: 'select', suggestion: LAST },
    { code: 'E501', where: 'ignore', suggestion: undefined },
    { code: 'AGL00', where: 'severity', prefixOnly: true },
    { code: 'AGL9009', where: 'severity', suggestion: 'AGL009' },
  ]);
  assert.equal(describeUnknownCode(u[0]!, KNOWN), `${NEXT} in select matches no rule (did you mean ${LAST}?)`);
  // AGL000 (internal error) is in RULES for its documentation, but is no rule to select: the range starts after it.
  assert.equal(KNOWN[0], 'AGL000');
  assert.equal(describeUnknownCode(u[1]!, KNOWN), `E501 in ignore matches no rule (the rule codes run from AGL001 to ${KNOWN[KNOWN.length - 1]})`);
  assert.match(describeUnknownCode(u[2]!, KNOWN), /AGL00 in severity is a prefix; a severity needs a whole rule code such as AGL001/);
  assert.deepEqual(unknownRuleCodes({ select: ['AGL001'], ignore: [], severity: {} }, KNOWN, where), []);
});

test('a code is found in the table, not elsewhere in the file', () => {
  const toml = '[project]\nname = "AGL017"\n\n[tool.autograd-lens]\nselect = ["AGL001", "AGL017"]\n\n[tool.autograd-lens.severity]\nAGL099 = "info"\n';
  assert.deepEqual(locateCodeInPyproject(toml, 'AGL017'), { line: 5, column: 22 });
  assert.deepEqual(locateCodeInPyproject(toml, 'AGL099'), { line: 8, column: 1 });
  assert.equal(locateCodeInPyproject('[project]\nname = "AGL017"\n', 'AGL017'), undefined);
});
