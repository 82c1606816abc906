/** IPython syntax masking: same length, same line breaks, valid Python, only where a statement starts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskIPython } from '../../../src/core/notebook/mask';

function lineBreaks(s: string): number[] {
  return [...s].flatMap((c, i) => (c === '\n' || c === '\r' ? [i] : []));
}

function check(source: string): ReturnType<typeof maskIPython> {
  const m = maskIPython(source);
  assert.equal(m.text.length, source.length, 'length kept');
  assert.deepEqual(lineBreaks(m.text), lineBreaks(source), 'line breaks kept');
  return m;
}

test('line magics, shell escapes and help become `0` padded with spaces', () => {
  const src = '%matplotlib inline\n!pip install torch\nimport torch\nx = torch.ones(3)\nx?\n??torch.autograd.grad\n%time y = x * 2\n';
  const m = check(src);
  assert.equal(m.text, '0                 \n0                 \nimport torch\nx = torch.ones(3)\n0 \n0                    \n0              \n');
  assert.equal(m.masked.length, 5);
  assert.equal(m.open, false);
  assert.equal(m.cellMagic, null);
});

test('an escape that is the only statement of a block keeps the block valid (indentation kept)', () => {
  const m = check('for i in range(3):\n    %time f(i)\n');
  assert.equal(m.text, 'for i in range(3):\n    0         \n');
});

test('assignment from a shell or magic command masks the right-hand side only', () => {
  const m = check('files = !ls *.csv\na, b = %who_ls\nx = 3 % 2\n');
  assert.equal(m.text, 'files = 0        \na, b = 0      \nx = 3 % 2\n');
});

test('autocall escapes (/ , ;) are masked', () => {
  const m = check('/print 1\n,f a b\n;f a b\n');
  assert.equal(m.text, '0       \n0     \n0     \n');
});

test('a magic continued with a backslash masks its continuation lines', () => {
  const m = check('%pip install \\\n    torch\nimport torch\n');
  assert.equal(m.text, '0             \n         \nimport torch\n');
  assert.equal(m.open, false);
});

test('non-Python cell magics blank the whole cell; Python ones mask only their first line', () => {
  const bash = check('%%bash\necho "x = (" \nls\n');
  assert.equal(bash.cellMagic, '%%bash');
  assert.equal(bash.text.trim(), '');
  assert.equal(bash.open, false);
  const timeit = check('\n%%timeit -n 3\ny = torch.ones(2)\n');
  assert.equal(timeit.cellMagic, null);
  assert.equal(timeit.text, '\n0            \ny = torch.ones(2)\n');
});

test('IPython syntax inside strings, brackets, comments and continuations is left alone', () => {
  const src = [
    's = """',
    '%not a magic',
    '!not a shell',
    '"""',
    'v = f(1,',
    '      !2)',
    "t = 'what?'  # really?",
    'u = 1 + \\',
    '    %2',
    'z = a != b',
    '',
  ].join('\n');
  const m = check(src);
  assert.equal(m.text, src);
  assert.deepEqual(m.masked, []);
});

test('get_ipython() calls are plain Python and are not touched', () => {
  const src = "get_ipython().run_line_magic('matplotlib', 'inline')\n";
  assert.equal(check(src).text, src);
});

test('a cell that ends inside a string, brackets or after a backslash is open, and its closer ends it', () => {
  assert.equal(check('x = f(1,\n').closer, ')');
  assert.equal(check('s = """abc\n').closer, '"""');
  assert.equal(check('x = 1 + \\\n').closer, '\n');
  assert.equal(check('y = g([1, {2: f("""a\n').closer, '""")}])');
  assert.equal(check('x = f(1,\n').open, true);
  assert.equal(check('x = f(1)\ns = """a\nb"""\n').open, false);
  assert.equal(check("s = 'a\\\\'\n").open, false);
});

test('CRLF line breaks are kept', () => {
  const m = check('%matplotlib inline\r\nimport torch\r\n');
  assert.equal(m.text, '0                 \r\nimport torch\r\n');
});
