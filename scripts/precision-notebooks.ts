/**
 * Precision on notebooks: lint every `.ipynb` under the given folders (correct code: each finding is a
 * false positive to review) and print each finding, then a summary: notebooks read / not readable /
 * not Python, code cells, lines, masked IPython escapes, cell magics, cells that end open (closed in the
 * program), and the findings per rule.
 *
 * The same code cells are also linted as a plain Python file (the cells' masked text joined, as a
 * `.py` export would be), so a difference between the two counts would point at the notebook layer
 * rather than the rules.
 *
 *   node --import tsx scripts/precision-notebooks.ts DIR...
 *
 * Exit status 0 when nothing is reported, 1 when something is. Results: docs/precision.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from '../src/core/lint/index';
import { buildProgram, isPythonNotebook, lintCells, NotebookError, parseNotebook } from '../src/core/notebook/index';

function notebooks(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    if (e === '.ipynb_checkpoints' || e === 'node_modules' || e === '.git') continue;
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...notebooks(p));
    else if (e.endsWith('.ipynb')) out.push(p);
  }
  return out;
}

async function main(dirs: string[]): Promise<number> {
  if (dirs.length === 0) {
    process.stderr.write('usage: node --import tsx scripts/precision-notebooks.ts DIR...\n');
    return 2;
  }
  const linter = await createLinter();
  const s = { notebooks: 0, unreadable: 0, notPython: 0, codeCells: 0, lines: 0, escapes: 0, cellMagics: 0, isolated: 0, asNotebook: 0, asPython: 0 };
  const byRule = new Map<string, number>();
  const started = performance.now();
  for (const dir of dirs) {
    for (const file of notebooks(dir)) {
      let nb;
      try {
        nb = parseNotebook(readFileSync(file, 'utf8'), relative(process.cwd(), file));
      } catch (err) {
        if (!(err instanceof NotebookError)) throw err;
        s.unreadable++;
        console.log(`unreadable: ${err.message}`);
        continue;
      }
      if (!isPythonNotebook(nb)) {
        s.notPython++;
        continue;
      }
      s.notebooks++;
      const program = buildProgram(nb.cells);
      for (const unit of program.units) {
        for (const c of unit.cells) {
          s.codeCells++;
          s.lines += c.lineStarts.length;
          s.escapes += c.mask.masked.length;
        }
      }
      s.cellMagics += program.cellMagics.length;
      s.isolated += program.repaired.length;
      const ds = lintCells(linter, nb.cells, { path: file });
      s.asNotebook += ds.length;
      for (const d of ds) {
        byRule.set(d.code, (byRule.get(d.code) ?? 0) + 1);
        console.log(`${relative(process.cwd(), file)}:cell ${d.cell + 1}:${d.range.start.line + 1}:${d.range.start.column + 1}: ${d.code} ${d.message}`);
      }
      s.asPython += program.units.reduce((n, u) => n + linter.lint(u.text, { path: file }).length, 0);
    }
  }
  const secs = (performance.now() - started) / 1000;
  console.log(
    `\n${s.notebooks} Python notebooks (${s.unreadable} unreadable, ${s.notPython} other kernels): ${s.codeCells} code cells, ${s.lines} lines, ` +
      `${s.escapes} IPython escapes masked, ${s.cellMagics} cell-magic cells skipped, ${s.isolated} open cells closed; ${secs.toFixed(1)} s`,
  );
  const rules = [...byRule].sort().map(([c, n]) => `${c} ${n}`).join(', ');
  console.log(`${s.asNotebook} finding(s) as notebooks${rules ? `: ${rules}` : ''}; ${s.asPython} as the same code in .py files`);
  return s.asNotebook > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  },
);
