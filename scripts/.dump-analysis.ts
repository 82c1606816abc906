import { readFileSync } from 'node:fs';
import { loadPythonParser } from '/work/main/src/core/lint/parser';
import { SemanticModel } from '/work/main/src/core/lint/semantic';
import { Interpreter } from '/work/main/src/core/lint/analysis/interpreter';
(async () => {
  const p = await loadPythonParser();
  const src = readFileSync(process.argv[2], 'utf8');
  const tree = p.parse(src);
  const m = new SemanticModel(tree);
  const I = new Interpreter(m);
  const t0 = performance.now();
  const a = I.run();
  const line = (n: any) => src.slice(0, n.start).split('\n').length;
  const show = (v: any) => v ? `kind=${v.kind} ` + (v.t ? JSON.stringify({L: v.t.leaves, P: v.t.params, leafOf: v.t.leafOf, cuts: v.t.cuts, dG: v.t.dGraph, dN: v.t.dNoGraph, ord: v.t.order, pwl: v.t.pwl, rec: v.t.recOff, dims: v.t.dims, op: v.t.opaque, norm: v.t.norm}) : '') : '';
  console.log('steps', a.steps, 'ms', (performance.now()-t0).toFixed(1), 'incomplete', a.incomplete);
  for (const d of a.events.derivatives) console.log('DERIV', line(d.node), d.api, 'cg', d.createGraph, 'rec', d.recording.mode, '\n   out', show(d.output), '\n   in', show(d.inputs.items ? d.inputs.items[0] : d.inputs), '\n   res', show(d.result.items ? d.result.items[0] : d.result));
  for (const s of a.events.sinks) console.log('SINK', line(s.node), s.kind, show(s.value));
  for (const l of a.events.leaves) console.log('LEAF', line(l.node), l.kind, show(l.before));
  for (const g of a.events.gradReads) console.log('GRADREAD', line(g.node), 'fills', g.fills, 'acc', g.accumulated);
  for (const b of a.events.backwards) console.log('BACKWARD', line(b.node), show(b.target));
})();
setTimeout(async () => {
  const p = await loadPythonParser();
  const src = readFileSync(process.argv[2], 'utf8');
  const m = new SemanticModel(p.parse(src));
  const a = new Interpreter(m).run();
  const line = (n: any) => src.slice(0, n.start).split('\n').length;
  for (const c of a.events.modelCalls) console.log('MODELCALL', line(c.node), src.slice(c.node.start, c.node.end).slice(0, 40), 'callee kind', c.callee.kind, 'site', c.callee.site, c.callee.lib, 'fn', c.fn ? line(c.fn) : null);
}, 10);
setTimeout(async () => {
  const p = await loadPythonParser();
  const src = readFileSync(process.argv[2], 'utf8');
  const m = new SemanticModel(p.parse(src));
  const a = new Interpreter(m).run();
  const line = (n: any) => src.slice(0, n.start).split('\n').length;
  for (const c of a.events.inplace) console.log('INPLACE', line(c.node), c.op, JSON.stringify({leafOf: c.target.t?.leafOf, var: c.target.t?.variable, L: c.target.t?.leaves, op: c.target.t?.opaque, saved: c.target.t?.saved}), c.recording.mode);
}, 20);
setTimeout(async () => {
  const p = await loadPythonParser();
  const src = readFileSync(process.argv[2], 'utf8');
  const m = new SemanticModel(p.parse(src));
  const a = new Interpreter(m).run();
  const line = (n: any) => src.slice(0, n.start).split('\n').length;
  for (const c of a.events.norms) console.log('NORM', line(c.node), c.dim, c.rank);
  for (const [id, v] of a.values) { const n = m.tree.nodes[id]; if (n.type === 'identifier' && /interpolates|alpha|gradients|eta|interpolated/.test(src.slice(n.start, n.end))) console.log('VAL', line(n), src.slice(n.start,n.end), v.kind, JSON.stringify(v.t?.dims), v.t?.order); }
}, 30);
setTimeout(async () => {
  const p = await loadPythonParser();
  const src = readFileSync(process.argv[2], 'utf8');
  const m = new SemanticModel(p.parse(src));
  const a = new Interpreter(m).run();
  const line = (n: any) => src.slice(0, n.start).split('\n').length;
  for (const [id, v] of a.values) { const n = m.tree.nodes[id]; if (n.type === 'identifier' && /^(fake|output|errG)$/.test(src.slice(n.start, n.end))) console.log('VAL2', line(n), src.slice(n.start,n.end), v.kind, JSON.stringify({P: v.t?.params, h: v.t?.hist, st: v.t?.stale, fr: v.t?.freed})); }
  for (const b of a.events.backwards) console.log('BW', line(b.node), b.retainGraph);
}, 40);
setTimeout(async () => {
  const p = await loadPythonParser();
  const src = readFileSync(process.argv[2], 'utf8');
  const m = new SemanticModel(p.parse(src));
  const a = new Interpreter(m).run();
  const line = (n: any) => src.slice(0, n.start).split('\n').length;
  for (const d of a.events.derivatives) console.log('TFD', line(d.node), d.api, 'tape', d.tape, 'out', JSON.stringify({tp: d.output.t?.tapes, dG: d.output.t?.dGraph, dN: d.output.t?.dNoGraph, v: d.output.t?.variable, op: d.output.t?.opaque, k: d.output.kind}), 'in', JSON.stringify((d.inputs.items??[d.inputs]).map(x=>({tp:x.t?.tapes,v:x.t?.variable,k:x.kind,op:x.t?.opaque}))));
}, 50);
