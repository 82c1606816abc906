/**
 * Fuzzing the lint engine over mutated real sources, with a fixed seed and a small budget (it runs with
 * the unit tests, so in CI). Sources: every lint fixture, plus a seeded sample of PyTorch's own Python
 * files when Debian's python3-torch is installed (CI installs it). Each mutant is linted and must:
 *   - not throw, and not fail inside the engine (no AGL000: a failure would be a lost file);
 *   - give sorted diagnostics whose ranges lie inside the text, lines counted as Python counts them;
 *   - give the same result through `lintDocument` after the original (incremental re-parse) as `lint`;
 *   - give the same findings when its line breaks are CR or CRLF instead of LF;
 *   - accept its own fixes: `applyFixes` edits stay inside the text and keep what is outside them.
 * FUZZ_SEED and FUZZ_MUTANTS override the seed and the budget for a longer run by hand.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyFixes, INTERNAL_ERROR_CODE, type Diagnostic } from '../../../src/core/lint/index';
import { allFixtures, getLinter, rel } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 20250214);
const MUTANTS = Number(process.env.FUZZ_MUTANTS ?? 240);
const TORCH_DIR = '/usr/lib/python3/dist-packages/torch';
const TORCH_SAMPLE = 40;

class Rng {
  constructor(private s: number) {}
  next(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

function torchFiles(rng: Rng): string[] {
  if (!existsSync(TORCH_DIR)) return [];
  const out: string[] = [];
  const stack = [TORCH_DIR];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && e.name.endsWith('.py')) {
        const size = statSync(p).size;
        if (size < 60_000 && size > 200) out.push(p);
      }
    }
  }
  out.sort();
  const sample: string[] = [];
  for (let i = 0; i < TORCH_SAMPLE && out.length; i++) sample.push(out.splice(rng.int(out.length), 1)[0]);
  return sample;
}

const TOKENS = [
  '(', ')', '[', ']', '{', '}', ':', ',', '\n', '\r', '\r\n', '\t', '    ', '"""', "'", '"', '#', '\\', '\\\n', 'lambda', 'def ', 'class ', 'return ',
  'torch.autograd.grad(', 'requires_grad=True', '.backward()', 'create_graph=True', 'with torch.no_grad():\n    ', 'x.grad', '.detach()', '.numpy()',
  'tf.GradientTape() as tape', 'jax.grad(', 'jax.vmap(', '@', '=', '+=', 'é😀', '\u0000', '\ufeff', '\u2028', 'async ', 'await ', 'yield ', '*', '**',
  'match x:\n    case 1:\n        pass\n', 'f"{x!r:>{w}}"', 'print(', '0x', '1e', ';', '...', 'if ', 'else', 'elif ', 'try:\n', 'except:\n',
];

function mutate(rng: Rng, src: string, other: string): string {
  const lines = src.split('\n');
  const li = () => rng.int(Math.max(1, lines.length));
  const at = () => rng.int(src.length + 1);
  switch (rng.int(11)) {
    case 0: // delete a few lines
      lines.splice(li(), 1 + rng.int(3));
      return lines.join('\n');
    case 1: // duplicate a line
      {
        const i = li();
        lines.splice(i, 0, lines[i] ?? '');
      }
      return lines.join('\n');
    case 2: {
      // swap two lines
      const i = li();
      const j = li();
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 3: {
      // insert a token
      const p = at();
      return src.slice(0, p) + rng.pick(TOKENS) + src.slice(p);
    }
    case 4: {
      // delete a span
      const p = at();
      return src.slice(0, p) + src.slice(p + 1 + rng.int(40));
    }
    case 5: // truncate
      return src.slice(0, at());
    case 6: {
      // re-indent a block
      const i = li();
      const n = 1 + rng.int(8);
      const pad = rng.pick(['', ' ', '  ', '\t', '        ']);
      for (let k = i; k < Math.min(lines.length, i + n); k++) lines[k] = pad + lines[k].trimStart();
      return lines.join('\n');
    }
    case 7: {
      // splice in lines of another file
      const o = other.split('\n');
      const s = rng.int(Math.max(1, o.length));
      lines.splice(li(), 0, ...o.slice(s, s + 1 + rng.int(20)));
      return lines.join('\n');
    }
    case 8: {
      // nest an expression deeply
      const depth = 5 + rng.int(120);
      return `${src}\ny = ${'('.repeat(depth)}torch.ones(1)${')'.repeat(depth)}\n`;
    }
    case 9: {
      // replace an identifier everywhere
      const ids = src.match(/\b[A-Za-z_][A-Za-z0-9_]*\b/g) ?? ['x'];
      const id = rng.pick(ids);
      return src.split(id).join(rng.pick(['x', 'torch', 'grad', 'self', '_', 'é']));
    }
    default: {
      // a few random characters
      let s = src;
      for (let k = 0; k < 1 + rng.int(4); k++) {
        const p = rng.int(s.length + 1);
        s = s.slice(0, p) + String.fromCharCode(rng.int(128)) + s.slice(p);
      }
      return s;
    }
  }
}

/** Lines as Python counts them, and their lengths in UTF-16 code units. */
function pythonLines(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function checkDiagnostics(text: string, ds: Diagnostic[], where: string): void {
  const lens = pythonLines(text);
  const inside = (p: { line: number; column: number }) => p.line >= 0 && p.line < lens.length && p.column >= 0 && p.column <= lens[p.line];
  for (const d of ds) {
    assert.ok(d.code !== INTERNAL_ERROR_CODE, `${where}: internal error: ${d.message}`);
    assert.ok(inside(d.range.start) && inside(d.range.end), `${where}: ${d.code} range outside the text: ${JSON.stringify(d.range)}`);
    const s = d.range.start;
    const e = d.range.end;
    assert.ok(s.line < e.line || (s.line === e.line && s.column <= e.column), `${where}: ${d.code} range ends before it starts`);
    for (const r of d.related) assert.ok(inside(r.range.start) && inside(r.range.end), `${where}: related range outside the text`);
  }
  for (let i = 1; i < ds.length; i++) {
    const a = ds[i - 1].range.start;
    const b = ds[i].range.start;
    assert.ok(a.line < b.line || (a.line === b.line && a.column <= b.column), `${where}: not sorted`);
  }
}

const key = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}-${d.range.end.line}:${d.range.end.column} ${d.message}`);

test(`fuzz: ${MUTANTS} mutants of the fixtures and PyTorch sources (seed ${SEED})`, async () => {
  const linter = await getLinter();
  const rng = new Rng(SEED);
  const sources = [...allFixtures(), ...torchFiles(rng)].map((f) => ({ name: rel(f).startsWith('..') ? f : rel(f), text: readFileSync(f, 'utf8') }));
  assert.ok(sources.length > 20, 'sources found');
  const t0 = performance.now();
  let findings = 0;
  let withSyntaxErrors = 0;
  for (let k = 0; k < MUTANTS; k++) {
    const base = rng.pick(sources);
    let text = base.text;
    const steps = 1 + rng.int(3);
    for (let s = 0; s < steps; s++) text = mutate(rng, text, rng.pick(sources).text);
    const where = `mutant ${k} of ${base.name} (seed ${SEED})`;
    let ds: Diagnostic[] = [];
    assert.doesNotThrow(() => {
      ds = linter.lint(text, { path: base.name });
    }, where);
    checkDiagnostics(text, ds, where);
    findings += ds.length;
    if (linter.lastRun.syntaxError) withSyntaxErrors++;
    // Incremental: the original, then the mutant, through one document.
    const uri = `fuzz://${k}`;
    linter.lintDocument(uri, base.text, { path: base.name });
    assert.deepEqual(key(linter.lintDocument(uri, text, { path: base.name })), key(ds), `${where}: lintDocument differs from lint`);
    linter.forget(uri);
    // Line breaks: CR or CRLF instead of LF give the same findings (messages quote line numbers too).
    if (!text.includes('\r')) {
      assert.deepEqual(key(linter.lint(text.replace(/\n/g, '\r'), { path: base.name })), key(ds), `${where}: CR line breaks change the findings`);
      assert.deepEqual(key(linter.lint(text.replace(/\n/g, '\r\n'), { path: base.name })), key(ds), `${where}: CRLF line breaks change the findings`);
    }
    // Fixes apply inside the text and leave the rest alone.
    const { output, edits } = applyFixes(text, ds, { unsafe: true });
    let rebuilt = '';
    let at = 0;
    for (const e of edits) {
      assert.ok(e.start >= at && e.end >= e.start && e.end <= text.length, `${where}: fix edit out of bounds`);
      rebuilt += text.slice(at, e.start) + e.text;
      at = e.end;
    }
    assert.equal(rebuilt + text.slice(at), output, `${where}: fix output is not the text plus its edits`);
  }
  const ms = performance.now() - t0;
  process.stderr.write(`# fuzz: ${MUTANTS} mutants of ${sources.length} sources, ${findings} findings, ${withSyntaxErrors} with syntax errors, ${(ms / 1000).toFixed(1)} s\n`);
  assert.ok(findings > 0, 'the mutants still exercise the rules');
});
