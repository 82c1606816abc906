/**
 * Does a caught corpus mistake stay caught when the code is written differently? Real code that nobody here has
 * seen writes the same mistake with other import aliases and inside functions; a rule fitted to the snippet's
 * surface loses it. For every development bug entry the linter catches, this lints variants that keep the code's
 * meaning and reports the entries a variant loses:
 *
 * - `alias`: the framework imported under another name (`import torch as th`, `import tensorflow as tfl`,
 *   `import jax.numpy as xnp`, `import numpy as onp`), every use renamed;
 * - `wrapped`: the whole snippet moved into a function (`def experiment():`, imports included), so module-level
 *   code becomes a function body and its names locals;
 * - `method`: the same inside a method of a class (`class Experiment: def run(self):`);
 * - `renamed`: every name the snippet binds at the start of a line (`loss = ...`, `for x in ...`) renamed to one
 *   that says nothing (`v3`), keyword arguments and attributes left alone: what a rule learns from names.
 *
 *   npx tsx scripts/corpus-variants.ts [--verbose]
 *   npx tsx scripts/corpus-variants.ts --show VARIANT ENTRY   # one variant's text and findings
 *
 * A loss is a generality gap to look at, not a ratchet: some variants change what is visible (a module-level name
 * another function reads becomes a local of `experiment`). Entries with other workspace files are skipped.
 */
import { createLinter } from '../src/core/lint/index';
import { loadEntries, touches } from '../test/corpus/corpus';

interface Variant {
  name: string;
  /** The variant's text and the 1-based line of the variant for a 1-based line of the snippet, or null when it does not apply. */
  make: (src: string) => { text: string; line: (l: number) => number } | null;
}

const ALIASES: [RegExp, string, RegExp, string][] = [
  [/^import torch$/m, 'import torch as th', /\btorch\./g, 'th.'],
  [/^import tensorflow as tf$/m, 'import tensorflow as tfl', /\btf\./g, 'tfl.'],
  [/^import jax\.numpy as jnp$/m, 'import jax.numpy as xnp', /\bjnp\./g, 'xnp.'],
  [/^import numpy as np$/m, 'import numpy as onp', /\bnp\./g, 'onp.'],
];

const VARIANTS: Variant[] = [
  {
    name: 'alias',
    make: (src) => {
      let text = src;
      let applied = false;
      for (const [imp, alias, use, to] of ALIASES) {
        if (!imp.test(text)) continue;
        // Only when the name is never used without its dot (`torch` passed as a value would need renaming too).
        const bare = new RegExp(`\\b${use.source.replace('\\b', '').replace('\\.', '')}\\b(?!\\.)`, 'g');
        const uses = text.replace(imp, '').match(bare) ?? [];
        if (uses.length > 0) continue;
        // Import statements keep the module's real name (`import torch.nn as nn`); uses take the alias.
        text = text
          .replace(imp, alias)
          .split('\n')
          .map((l) => (/^\s*(?:import|from)\s/.test(l) ? l : l.replace(use, to)))
          .join('\n');
        applied = true;
      }
      return applied ? { text, line: (l) => l } : null;
    },
  },
  { name: 'wrapped', make: (src) => nested(src, ['def experiment():'], 'experiment()') },
  { name: 'method', make: (src) => nested(src, ['class Experiment:', '    def run(self):'], 'Experiment().run()') },
  {
    name: 'renamed',
    make: (src) => {
      // Every name the snippet binds at the start of a line (`loss = ...`, `for x in`), not attributes or keywords,
      // renamed to a name that says nothing (`v3`): what a rule learns from names real code may not use.
      // Only lines that start a statement: inside an open bracket, `name=value` is a keyword argument of a call
      // written over several lines (`torch.autograd.grad(\n    outputs=y,`), not a binding.
      const lines = src.split('\n');
      const depths = bracketDepths(lines);
      const names = new Set<string>();
      lines.forEach((l, i) => {
        if (depths[i] !== 0) return;
        // One name or a tuple of names (`prediction, h_state = rnn(x, h_state)`, `for i, x in ...`): renaming only some
        // of a name's bindings would change the code.
        const m =
          /^[ \t]*\(?([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*,?[ \t]*\)?[ \t]*(?:=(?!=)|\+=|-=|\*=|\/=)/.exec(l) ??
          /^[ \t]*for[ \t]+\(?([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)\)?[ \t]+in\b/.exec(l);
        if (m) for (const n of m[1]!.split(',')) names.add(n.trim());
      });
      for (const n of ['self', 'cls', '_']) names.delete(n);
      // A name also written as an attribute or defined by `def`/`class` (`meta_loss = ...` beside
      // `def meta_loss(self)` called as `self.meta_loss(...)`) is left: renaming one and not the other changes the code.
      for (const m of src.matchAll(/(?:\.|\bdef[ \t]+|\bclass[ \t]+)([A-Za-z_]\w*)/g)) names.delete(m[1]!);
      if (names.size === 0) return null;
      const map = new Map([...names].map((n, i) => [n, `v${i}`]));
      const text = lines
        // Not a keyword argument (`f(a, name=1)`: after `(` or `,`, or first on a line inside a bracket, right before
        // a single `=`) nor an attribute.
        .map((l, i) =>
          /^\s*(?:import|from)\s/.test(l)
            ? l
            : l.replace(/(?<![.\w'"])[A-Za-z_]\w*\b/g, (w: string, at: number) => {
                const before = l.slice(0, at);
                const keyword =
                  (/[(,][ \t]*$/.test(before) || (depths[i]! > 0 && /^[ \t]*$/.test(before))) &&
                  /^=(?!=)/.test(l.slice(at + w.length));
                return keyword ? w : (map.get(w) ?? w);
              }),
        )
        .join('\n');
      return { text, line: (l) => l };
    },
  },
];

/**
 * The snippet as the body of the definitions in `header` (each one level deeper than the last), then `call` at module
 * level; null for a snippet that cannot move into a function (`from __future__`, `global`).
 */
function nested(src: string, header: string[], call: string): { text: string; line: (l: number) => number } | null {
  if (/^from __future__/m.test(src) || /^\s*global\b/m.test(src)) return null;
  const indent = '    '.repeat(header.length);
  const body = src
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : `${indent}${l}`));
  return { text: [...header, ...body, '', '', call, ''].join('\n'), line: (l) => l + header.length };
}

/** The depth of open brackets at the start of each line (strings and comments skipped, roughly: enough for snippets). */
function bracketDepths(lines: string[]): number[] {
  const out: number[] = [];
  let depth = 0;
  for (const l of lines) {
    out.push(depth);
    const code = l.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$/, '');
    for (const ch of code) {
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    }
  }
  return out;
}

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const linter = await createLinter();
  const caught = (text: string, lines: number[]): { hit: boolean; codes: string[] } => {
    const ds = linter.lint(text, { path: 'snippet.py' });
    return { hit: ds.some((d) => touches(d, lines)), codes: [...new Set(ds.map((d) => d.code))].sort() };
  };
  const show = process.argv.indexOf('--show');
  if (show > 0) {
    // --show VARIANT ENTRY: the variant's text and what the linter reports on it.
    const v = VARIANTS.find((x) => x.name === process.argv[show + 1]);
    const e = loadEntries().find((x) => x.id === process.argv[show + 2]);
    const made = v && e ? v.make(e.snippet) : null;
    if (!made || !e) throw new Error('usage: --show VARIANT ENTRY (a variant that applies to the entry)');
    console.log(made.text);
    console.log(`mistake lines: ${e.mistakeLines.map(made.line).join(', ')}`);
    for (const d of linter.lint(made.text, { path: 'snippet.py' })) console.log(`${d.range.start.line + 1}:${d.range.start.column + 1} ${d.code} ${d.message}`);
    return;
  }
  const entries = loadEntries().filter((e) => e.label === 'bug' && e.workspace.length === 0);
  const base = entries.filter((e) => caught(e.snippet, e.mistakeLines).hit);
  console.log(`${base.length} of ${entries.length} single-file bug entries are caught as written`);
  for (const v of VARIANTS) {
    let applied = 0;
    const lost: string[] = [];
    for (const e of base) {
      const made = v.make(e.snippet);
      if (!made) continue;
      applied++;
      const r = caught(made.text, e.mistakeLines.map(made.line));
      if (!r.hit) lost.push(`${e.id} [${e.class}]${verbose ? ` -> ${r.codes.join(',') || 'nothing'}` : ''}`);
    }
    console.log(`\n${v.name}: applies to ${applied}, lost ${lost.length}`);
    for (const l of lost) console.log(`  lost  ${l}`);
  }
}

void main();
