/**
 * Imports across the files of a workspace (src/core/lint/workspace.ts): module resolution, the import scan,
 * and the engine linting a file with the definitions it imports (test/fixtures/workspace/*).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic, Linter, WorkspaceFiles } from '../../../src/core/lint/index';
import { resolveModule, scanImports } from '../../../src/core/lint/workspace';
import { getLinter } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'workspace');

/** The `.py` files under `dir`, keyed by their `/`-separated path relative to it. */
function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.py')) out.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function workspaceOf(files: Map<string, string>): WorkspaceFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: (p: string) => {
      reads.push(p);
      return files.get(p) ?? null;
    },
  };
}

/**
 * The workspaces some tests use, made from test/fixtures/workspace/pinn (a ReLU model and a graphless derivative
 * helper in models.py, trained in train.py) rather than kept as copies of its files:
 * - `pinn-ok`: the model smooth and the helper with a graph;
 * - `reexport`: models.py moved into a package whose `__init__.py` re-exports its names;
 * - `module-imports`: the model in models.py and the helper in lib/ops.py, with module-imports/train.py importing
 *   them as `import models` and `from lib import ops`.
 */
function workspaceFiles(dir: string): Map<string, string> {
  const pinn = filesOf(join(FIXTURES, 'pinn'));
  const models = pinn.get('models.py')!;
  const helperAt = models.indexOf('def gradient');
  switch (dir) {
    case 'pinn-ok':
      return new Map([
        ['models.py', models.replace('nn.ReLU()', 'nn.Tanh()').replace('torch.ones_like(y))[0]', 'torch.ones_like(y), create_graph=True)[0]')],
        ['train.py', pinn.get('train.py')!.replace(/ {2}# AGL0.*$/gm, '')],
      ]);
    case 'reexport':
      return new Map([
        ['models/net.py', models],
        ['models/__init__.py', 'from .net import Net, gradient\n\n__all__ = ["Net", "gradient"]\n'],
        ['train.py', pinn.get('train.py')!],
      ]);
    case 'module-imports':
      return new Map([
        ['models.py', `${models.slice(0, helperAt).trimEnd()}\n`],
        ['lib/__init__.py', ''],
        ['lib/ops.py', `import torch\n\n\n${models.slice(helperAt)}`],
        ['train.py', readFileSync(join(FIXTURES, 'module-imports-train.py'), 'utf8')],
      ]);
    default:
      return filesOf(join(FIXTURES, dir));
  }
}

async function lintIn(dir: string, path: string, withWorkspace = true): Promise<Diagnostic[]> {
  const linter = await getLinter();
  const files = workspaceFiles(dir);
  return linter.lint(files.get(path)!, { path, workspace: withWorkspace ? workspaceOf(files) : undefined });
}

const brief = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line + 1}:${d.code}`);

test('resolveModule: relative imports from the package, absolute ones from the file\'s folder and above', () => {
  const files = workspaceOf(new Map([['repo/pkg/__init__.py', ''], ['repo/pkg/models.py', ''], ['repo/pkg/sub/train.py', ''], ['repo/utils.py', ''], ['repo/pkg/sub/layers/__init__.py', '']]));
  assert.equal(resolveModule('repo/pkg/sub/train.py', '..models', files), 'repo/pkg/models.py');
  assert.equal(resolveModule('repo/pkg/sub/train.py', '.layers', files), 'repo/pkg/sub/layers/__init__.py');
  assert.equal(resolveModule('repo/pkg/sub/train.py', '..', files), 'repo/pkg/__init__.py');
  assert.equal(resolveModule('repo/pkg/sub/train.py', 'utils', files), 'repo/utils.py', 'found in a folder above');
  assert.equal(resolveModule('repo/pkg/sub/train.py', 'pkg.models', files), 'repo/pkg/models.py');
  assert.equal(resolveModule('repo/pkg/sub/train.py', 'torch.nn', files), null, 'a library is not in the workspace');
  assert.equal(resolveModule('repo/pkg/sub/train.py', '.missing', files), null);
  assert.equal(resolveModule('/abs/repo/train.py', 'models', workspaceOf(new Map([['/abs/repo/models.py', '']]))), '/abs/repo/models.py', 'absolute paths keep their root');
});

test('scanImports: from-imports with aliases, parenthesized lists over lines, stars; `import m`, `import a.b as x`, `import a.b`', () => {
  const text = ['from models import Net, gradient as grad_fn', 'from .nets import (', '    Potential,  # the energy', '    Block,', ')', 'from pkg.util import *', 'import models', 'import pkg.ops as ops, pkg.other', '    from helpers import loss_fn', ''].join('\n');
  assert.deepEqual(scanImports(text), [
    { module: 'models', names: null },
    { module: 'pkg.ops', names: null },
    { module: 'pkg.other', names: null },
    { module: 'models', names: ['Net', 'gradient'] },
    { module: '.nets', names: ['Potential', 'Block'] },
    { module: 'pkg.util', names: null },
    { module: 'helpers', names: ['loss_fn'] },
  ]);
});

test('a ReLU model and a graphless derivative helper in models.py are reported where train.py uses them', async () => {
  const alone = await lintIn('pinn', 'train.py', false);
  assert.deepEqual(brief(alone), [], 'by itself train.py shows nothing wrong');
  const ds = await lintIn('pinn', 'train.py');
  assert.deepEqual(brief(ds), ['10:AGL010', '11:AGL001']);
  const relu = ds.find((d) => d.code === 'AGL010')!;
  assert.match(relu.message, /nn\.ReLU/);
  const helper = ds.find((d) => d.code === 'AGL001')!;
  // At the call in train.py, naming the helper's line in models.py; no fix (it would edit another file).
  assert.equal(readFileSync(join(FIXTURES, 'pinn', 'train.py'), 'utf8').split('\n')[10].slice(helper.range.start.column, helper.range.end.column), 'gradient(u, x)');
  assert.match(helper.message, /^In `gradient\(u, x\)` \(line 17 of models\.py\): /);
  assert.match(helper.message, /at line 14\)/, 'a line of train.py stays as it is');
  assert.deepEqual(helper.fixes, []);
  for (const d of ds) for (const r of d.related) assert.ok(r.range.start.line < 16, 'related locations stay in train.py');
});

test('`import models` then `models.Net()`, and `from lib import ops` of a submodule then `ops.gradient(...)`', async () => {
  const ds = await lintIn('module-imports', 'train.py');
  assert.deepEqual(brief(ds), ['11:AGL010', '12:AGL001']);
  assert.match(ds[1].message, /^In `ops\.gradient\(u, x\)` \(line 5 of lib\/ops\.py\): /);
  assert.deepEqual(brief(await lintIn('module-imports', 'train.py', false)), []);
});

test('`import lib.ops` binds the package `lib`, whose attribute `ops` is the module: `lib.ops.gradient(...)`', async () => {
  const base = workspaceFiles('module-imports');
  const train = base.get('train.py')!;
  // Two dotted imports of one package: the second adds its module to the package the first bound.
  const dotted = train.replace('import models\nfrom lib import ops\n', 'import lib.unused\nimport models\nimport lib.ops\n').replace('ops.gradient(', 'lib.ops.gradient(');
  assert.notEqual(dotted, train);
  const files = new Map([...base, ['train.py', dotted], ['lib/unused.py', 'import torch\n\n\ndef grad_norm(g):\n    return g.pow(2).sum().sqrt()\n']]);
  const linter = await getLinter();
  const ds = await linter.lint(dotted, { path: 'train.py', workspace: workspaceOf(files) });
  assert.deepEqual(brief(ds), ['12:AGL010', '13:AGL001']);
  assert.match(ds[1].message, /^In `lib\.ops\.gradient\(u, x\)` \(line 5 of lib\/ops\.py\): /);
  assert.deepEqual(brief(await linter.lint(dotted, { path: 'train.py' })), [], 'by itself the file shows nothing wrong');
});

test('a NaN-prone guard in a helper of another file is shown where this file differentiates through it (AGL017)', async () => {
  // The helper is the AGL017 fixture's (its ground truth: NaN gradient at the zero rotation); its double-where
  // twin is the look-alike fixture's. The fixture falls back on the limit 0.5 * ones, which its own file reports
  // without a derivative in view (checked last); with a zero fallback (the masked branch's derivative is 0/0 all
  // the same) the guard needs the derivative of the file that uses it, which is what is revealed here.
  const helperOf = (fixture: string, fallback = 'torch.zeros_like(theta)'): string => {
    const text = readFileSync(join(ROOT, 'test', 'fixtures', 'lint', 'AGL017', fixture), 'utf8');
    const start = text.indexOf('def rotvec_to_quaternion');
    const end = text.indexOf('\n\n\n', start);
    return `import torch\n\n\n${text.slice(start, end).replace(/ {2}# expect: AGL017/, '').replace('0.5 * torch.ones_like(theta)', fallback)}\n`;
  };
  const train = [
    'import torch',
    'from conversions import rotvec_to_quaternion',
    '',
    'v = torch.randn(8, 3, requires_grad=True)',
    'opt = torch.optim.Adam([v], lr=1e-2)',
    'for step in range(100):',
    '    loss = rotvec_to_quaternion(v).pow(2).mean()',
    '    opt.zero_grad()',
    '    loss.backward()',
    '    opt.step()',
    '',
  ].join('\n');
  const linter = await getLinter();
  const lintWith = (helper: string): Promise<Diagnostic[]> =>
    Promise.resolve(linter.lint(train, { path: 'train.py', workspace: workspaceOf(new Map([['conversions.py', helper], ['train.py', train]])) }));
  const bad = await lintWith(helperOf('bad_named_mask.py'));
  assert.deepEqual(brief(bad), ['7:AGL017']);
  assert.match(bad[0].message, /^In `rotvec_to_quaternion\(v\)` \(line 8 of conversions\.py\): `torch\.where` masks `torch\.sqrt\(theta2\)`/);
  // The same finding, in the helper's own file (where the double-where fix goes), for the command line to report there.
  const helper = helperOf('bad_named_mask.py');
  const revealed = linter.lastRun.revealed ?? [];
  assert.deepEqual(revealed.map((r) => `${r.path}:${r.diagnostic.range.start.line + 1}:${r.diagnostic.code}`), ['conversions.py:8:AGL017']);
  const at = revealed[0]!.diagnostic.range;
  assert.equal(helper.split('\n')[at.start.line]!.slice(at.start.column, at.start.column + 11), 'torch.where', 'the range is in the helper text');
  assert.match(revealed[0]!.diagnostic.message, /^Used by `rotvec_to_quaternion\(v\)` \(line 7 of train\.py\): `torch\.where` masks/);
  assert.deepEqual(revealed[0]!.diagnostic.fixes, []);
  const noqa = helper.split('\n').map((l, i) => (i === at.start.line ? `${l}  # noqa: AGL017` : l)).join('\n');
  linter.lint(train, { path: 'train.py', workspace: workspaceOf(new Map([['conversions.py', noqa], ['train.py', train]])) });
  assert.deepEqual(linter.lastRun.revealed ?? [], [], "a suppression comment on the helper's line applies there");
  assert.deepEqual(brief(linter.lint(helperOf('bad_named_mask.py'), { path: 'conversions.py' })), [], 'the helper by itself is never differentiated');
  assert.deepEqual(brief(await lintWith(helperOf('good_named_mask.py'))), [], 'the double-where helper is clean');
  const limit = helperOf('bad_named_mask.py', '0.5 * torch.ones_like(theta)');
  assert.deepEqual(brief(linter.lint(limit, { path: 'conversions.py' })), ['8:AGL017'], 'with its limit in the other branch the helper is reported by itself');
  assert.deepEqual(brief(await lintWith(limit)), [], 'and not again at the call');
  assert.deepEqual(linter.lastRun.revealed ?? [], []);
});

test("the CLI reports a helper's NaN-prone guard in the helper's file too, once, when another file differentiates through it", () => {
  const fixture = readFileSync(join(ROOT, 'test', 'fixtures', 'lint', 'AGL017', 'bad_named_mask.py'), 'utf8');
  const start = fixture.indexOf('def rotvec_to_quaternion');
  // A zero fallback: the guard needs a derivative in view (the fixture's limit fallback is reported by its own file).
  const helper = `import torch\n\n\n${fixture.slice(start, fixture.indexOf('\n\n\n', start)).replace(/ {2}# expect: AGL017/, '').replace('0.5 * torch.ones_like(theta)', 'torch.zeros_like(theta)')}\n`;
  const train = (name: string): string =>
    ['import torch', 'from geom.conversions import rotvec_to_quaternion', '', `def ${name}(v):`, '    return rotvec_to_quaternion(v).pow(2).mean()', '', 'v = torch.randn(8, 3, requires_grad=True)', `${name}(v).backward()`, ''].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'agl-ws-'));
  try {
    mkdirSync(join(dir, 'geom'));
    writeFileSync(join(dir, 'geom', 'conversions.py'), helper);
    writeFileSync(join(dir, 'train.py'), train('loss_a'));
    writeFileSync(join(dir, 'train_b.py'), train('loss_b'));
    const run = (...args: string[]): { file: string; line: number; code: string; message: string }[] => {
      let out: string;
      try {
        out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'lint', '--format', 'json', ...args, dir], { cwd: ROOT, encoding: 'utf8' });
      } catch (e) {
        out = (e as { stdout: string }).stdout;
      }
      return (JSON.parse(out) as { file: string; line: number; code: string; message: string }[]).map((f) => ({ ...f, file: relative(dir, f.file) }));
    };
    const found = run('--jobs', '1');
    assert.deepEqual(found.map((f) => `${f.file}:${f.line}:${f.code}`).sort(), ['geom/conversions.py:8:AGL017', 'train.py:5:AGL017', 'train_b.py:5:AGL017']);
    assert.match(found.find((f) => f.file === 'geom/conversions.py')!.message, /^Used by `rotvec_to_quaternion\(v\)` \(line 5 of \.\.\/train\.py\): `torch\.where` masks/);
    assert.deepEqual(run('--jobs', '1', '--single-file'), []);
    writeFileSync(join(dir, 'geom', 'pyproject.toml'), '[tool.autograd-lens]\nignore = ["AGL017"]\n');
    assert.deepEqual(run('--jobs', '1').map((f) => `${f.file}:${f.line}:${f.code}`).sort(), ['train.py:5:AGL017', 'train_b.py:5:AGL017'], "the helper file's configuration applies");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a NaN-prone guard in another file's model, in its forward or a helper its forward calls, is shown at the call and in that file (AGL017)", async () => {
  // The rotation helper of the AGL017 fixture (ground truth: NaN gradient at the zero rotation) inside a module.
  const layers = (guard: string): string =>
    [
      'import torch',
      'import torch.nn as nn',
      '',
      '',
      'def _half_angle_factor(theta2):',
      '    theta = torch.sqrt(theta2)',
      `    return ${guard}`,
      '',
      '',
      'class RotationEmbedding(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.proj = nn.Linear(4, 16)',
      '',
      '    def forward(self, v):',
      '        theta2 = (v * v).sum(-1, keepdim=True)',
      '        k = _half_angle_factor(theta2)',
      '        return self.proj(torch.cat([torch.cos(0.5 * torch.sqrt(theta2 + 1e-12)), v * k], dim=-1))',
      '',
    ].join('\n');
  // A zero fallback: the guard needs a derivative in view, here the training file's (a limit fallback such as
  // 0.5 * ones_like(theta) is reported by the model's file by itself, checked last).
  const bad = layers('torch.where(theta2 > 0, torch.sin(0.5 * theta) / theta, torch.zeros_like(theta))');
  // The double-where form: the sqrt and the division only see safe values.
  const good = bad.replace('    theta = torch.sqrt(theta2)', '    safe = torch.where(theta2 > 0, theta2, torch.ones_like(theta2))\n    theta = torch.sqrt(safe)');
  const train = ['import torch', 'from layers import RotationEmbedding', '', 'embed = RotationEmbedding()', 'v = torch.zeros(8, 3, requires_grad=True)', 'embed(v).pow(2).mean().backward()', ''].join('\n');
  const linter = await getLinter();
  const ds = linter.lint(train, { path: 'train.py', workspace: workspaceOf(new Map([['layers.py', bad]])) });
  assert.deepEqual(brief(ds), ['6:AGL017']);
  assert.match(ds[0].message, /^In `embed\(v\)` \(line 7 of layers\.py\): `torch\.where` masks/);
  assert.deepEqual((linter.lastRun.revealed ?? []).map((r) => `${r.path}:${r.diagnostic.range.start.line + 1}:${r.diagnostic.code}`), ['layers.py:7:AGL017']);
  assert.deepEqual(brief(linter.lint(bad, { path: 'layers.py' })), [], 'the model file by itself never differentiates it');
  assert.deepEqual(brief(linter.lint(train, { path: 'train.py', workspace: workspaceOf(new Map([['layers.py', good]])) })), [], 'the double-where twin is clean');
  assert.deepEqual(linter.lastRun.revealed ?? [], []);
  const limit = layers('torch.where(theta2 > 0, torch.sin(0.5 * theta) / theta, 0.5 * torch.ones_like(theta))');
  assert.deepEqual(brief(linter.lint(limit, { path: 'layers.py' })), ['7:AGL017'], 'a limit fallback is reported by the model file by itself');
});

test("grid_sample in another file's model: a second derivative here is reported at the derivative, and in a helper at the call (AGL026)", async () => {
  // R1 penalties through a spatial transformer (its ground truth: test/fixtures/lint/AGL026/bad.py, r1_penalty raises
  // "the derivative for 'grid_sampler_2d_backward' is not implemented" with PyTorch 1.13).
  const files = filesOf(join(FIXTURES, 'grid-sample'));
  const linter = await getLinter();
  const ds = linter.lint(files.get('train.py')!, { path: 'train.py', workspace: workspaceOf(files) });
  assert.deepEqual(brief(ds), ['12:AGL026', '20:AGL026']);
  assert.match(ds[0].message, /^Through `F\.grid_sample\(x, grid, align_corners=False\)` \(line 16 of models\/stn\.py\): `F\.grid_sample` has no double backward/);
  assert.match(ds[0].message, /taken with a graph at line 7 of losses\.py/);
  assert.match(ds[1].message, /^In `r1_step\(model, x, opt\)` \(line 14 of losses\.py\): Through `F\.grid_sample/);
  assert.deepEqual((linter.lastRun.revealed ?? []).map((r) => `${r.path}:${r.diagnostic.range.start.line + 1}:${r.diagnostic.code}`), ['losses.py:14:AGL026']);
  assert.deepEqual(brief(linter.lint(files.get('models/stn.py')!, { path: 'models/stn.py' })), [], 'the model file never differentiates twice');
  // The same model resampling with bilinear interpolation (which has a double backward), and first-order training only.
  const smooth = new Map(files);
  smooth.set('models/stn.py', files.get('models/stn.py')!.replace('F.grid_sample(x, grid, align_corners=False)', "F.interpolate(x, size=(28, 28), mode='bilinear') + grid.mean()"));
  assert.deepEqual(brief(linter.lint(files.get('train.py')!, { path: 'train.py', workspace: workspaceOf(smooth) })), [], 'no operation without a double backward');
  const once = new Map(files);
  once.set('losses.py', files.get('losses.py')!.replace(', create_graph=True', ''));
  assert.deepEqual(brief(linter.lint(files.get('train.py')!, { path: 'train.py', workspace: workspaceOf(once) })).filter((d) => d.endsWith('AGL026')), [], 'a first derivative without a graph is not differentiated again');
});

test("a derivative in another file's model or helper, reached with recording off, is shown at the calls made with it off (AGL009)", async () => {
  // The measurement is AGL009's (test/fixtures/lint/AGL009/bad.py: `grad` of an output computed under `no_grad` raises
  // "does not have a grad_fn"); here the force model's `forward` and the helper sit in another file.
  const potentials = [
    'import torch',
    'import torch.nn as nn',
    '',
    '',
    'class Potential(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.net = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 1))',
    '',
    '    def forward(self, pos):',
    '        energy = self.net(pos).sum()',
    '        forces = -torch.autograd.grad(energy, pos, create_graph=True)[0]',
    '        return energy, forces',
    '',
    '',
    'def input_gradient(model, x):',
    '    x = x.clone().requires_grad_(True)',
    '    return torch.autograd.grad(model(x).sum(), x)[0]',
    '',
  ].join('\n');
  const train = [
    'import torch',
    'from potentials import Potential, input_gradient',
    '',
    'model = Potential()',
    '',
    '',
    'def fit(batches, opt):',
    '    for pos, f in batches:',
    '        pos.requires_grad_(True)',
    '        e, forces = model(pos)',
    '        ((forces - f) ** 2).mean().backward()',
    '        opt.step(); opt.zero_grad()',
    '        print(input_gradient(model, pos))',
    '',
    '',
    'def evaluate(batches):',
    '    with torch.no_grad():',
    '        for pos, f in batches:',
    '            pos.requires_grad_(True)',
    '            e, forces = model(pos)',
    '            print(input_gradient(model, pos))',
    '',
    '',
    'def evaluate_enabled(batches):',
    '    with torch.no_grad():',
    '        for pos, f in batches:',
    '            with torch.enable_grad():',
    '                pos.requires_grad_(True)',
    '                e, forces = model(pos)',
    '            print(forces.detach().abs().mean())',
    '',
  ].join('\n');
  const linter = await getLinter();
  const ws = workspaceOf(new Map([['potentials.py', potentials]]));
  const ds = linter.lint(train, { path: 'train.py', workspace: ws });
  // Under no_grad only: the training calls (lines 10, 13) and the enable_grad block (line 28) are clean.
  assert.deepEqual(brief(ds), ['20:AGL009', '21:AGL009']);
  assert.match(ds[0].message, /^In `model\(pos\)` \(line 12 of potentials\.py\): `torch\.autograd\.grad` under `torch\.no_grad\(\)` at line 17/);
  assert.match(ds[1].message, /^In `input_gradient\(model, pos\)` \(line 12 of potentials\.py\): `torch\.autograd\.grad` under `torch\.no_grad\(\)` at line 17/);
  assert.deepEqual(brief(linter.lint(potentials, { path: 'potentials.py' })), [], 'the model file by itself takes its derivatives with recording on');
  const lightning = [
    'import lightning.pytorch as pl',
    'from potentials import Potential',
    '',
    '',
    'class Module(pl.LightningModule):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.model = Potential()',
    '',
    '    def training_step(self, batch, batch_idx):',
    '        pos, f = batch',
    '        pos.requires_grad_(True)',
    '        e, forces = self.model(pos)',
    '        return ((forces - f) ** 2).mean()',
    '',
    '    def validation_step(self, batch, batch_idx):',
    '        pos, f = batch',
    '        pos.requires_grad_(True)',
    '        e, forces = self.model(pos)',
    '        self.log("val", ((forces - f) ** 2).mean())',
    '',
  ].join('\n');
  const lds = linter.lint(lightning, { path: 'module.py', workspace: ws });
  assert.deepEqual(brief(lds), ['19:AGL009']);
  assert.match(lds[0].message, /Lightning runs it under `torch\.inference_mode\(\)`/);
  assert.deepEqual((linter.lastRun.revealed ?? []).map((r) => `${r.path}:${r.diagnostic.range.start.line + 1}:${r.diagnostic.code}`), ['potentials.py:12:AGL009']);
});

test("a squared norm in another file's potential is shown where this file's jax.grad goes through it (AGL022)", async () => {
  const potentials = ['import jax.numpy as jnp', '', '', 'def harmonic(dr):', '    return 0.5 * jnp.sum(jnp.linalg.norm(dr, axis=-1) ** 2)', ''].join('\n');
  const md = [
    'import jax',
    'import jax.numpy as jnp',
    'from potentials import harmonic',
    '',
    '',
    'def energy(pos):',
    '    dr = pos[:, None, :] - pos[None, :, :]',
    '    return harmonic(dr)',
    '',
    '',
    'forces = -jax.grad(energy)(jnp.zeros((4, 3)))',
    '',
  ].join('\n');
  const linter = await getLinter();
  const files = new Map([['potentials.py', potentials], ['md.py', md]]);
  const ds = linter.lint(md, { path: 'md.py', workspace: workspaceOf(files) });
  assert.deepEqual(brief(ds), ['8:AGL022']);
  assert.match(ds[0].message, /^In `harmonic\(dr\)` \(line 5 of potentials\.py\): /);
  assert.deepEqual((linter.lastRun.revealed ?? []).map((r) => `${r.path}:${r.diagnostic.range.start.line + 1}:${r.diagnostic.code}`), ['potentials.py:5:AGL022']);
  assert.deepEqual(brief(linter.lint(potentials, { path: 'potentials.py' })), []);
  const safe = potentials.replace('jnp.linalg.norm(dr, axis=-1) ** 2', 'jnp.sum(dr ** 2, axis=-1)');
  assert.deepEqual(brief(linter.lint(md, { path: 'md.py', workspace: workspaceOf(new Map([...files, ['potentials.py', safe]])) })), []);
  assert.deepEqual(linter.lastRun.revealed ?? [], []);
});

test('a normalizing helper of another file (AGL003): the leaf it returns is in normalized units, a tensor-free helper is followed', async () => {
  const prep = ['def standardize(x, mean, std):', '    return (x - mean) / std', '', '', 'def identity(x):', '    return x', ''].join('\n');
  const main = [
    'import torch',
    'from prep import standardize, identity',
    '',
    '',
    'def sensitivity(model, x_raw, mean, std):',
    '    x = standardize(x_raw, mean, std)',
    '    x.requires_grad_(True)',
    '    return torch.autograd.grad(model(x).sum(), x)[0]',
    '',
    '',
    'def sensitivity_raw(model, x_raw):',
    '    x = identity(x_raw)',
    '    x.requires_grad_(True)',
    '    return torch.autograd.grad(model(x).sum(), x)[0]',
    '',
  ].join('\n');
  const linter = await getLinter();
  const files = new Map([['prep.py', prep], ['main.py', main]]);
  assert.deepEqual(brief(linter.lint(main, { path: 'main.py', workspace: workspaceOf(files) })), ['7:AGL003']);
  assert.deepEqual(brief(linter.lint(main, { path: 'main.py' })), []);
});

test("names a package's __init__.py re-exports from its modules (`from .net import Net`) are followed there", async () => {
  const ds = await lintIn('reexport', 'train.py');
  assert.deepEqual(brief(ds), ['10:AGL010', '11:AGL001']);
  assert.match(ds[1].message, /\(line 17 of models\/net\.py\)/);
});

test('the same workspace with a smooth model and a helper that keeps the graph is clean', async () => {
  assert.deepEqual(brief(await lintIn('pinn-ok', 'train.py')), []);
  assert.deepEqual(brief(await lintIn('pinn-ok', 'models.py')), []);
});

test("a loss class of another file (no model base) is followed: a term it computes from argmax is reported in the loss", async () => {
  const ds = await lintIn('loss-class', 'train.py');
  assert.deepEqual(brief(ds), ['24:AGL002']);
  assert.match(ds[0].message, /`torch\.argmax` \(line 15 of losses\.py\)/);
  // Without the workspace the class is a library name whose results are unknown: nothing is reported.
  assert.deepEqual(brief(await lintIn('loss-class', 'train.py', false)), []);
});

test('a plain class of another file imported by name, computing with tensors, is followed: its float result carries no freed graph', async () => {
  // rosinality/stylegan2-pytorch's AdaptiveAugment.tune returns a float tuned from the predictions of a step whose
  // graph the step's backward freed. Unread, the call was guessed to carry that graph into the next step (AGL019).
  assert.deepEqual(brief(await lintIn('plain-class', 'train.py')), []);
});

test("a cut in another file's model (a method its forward calls returns `.data`) is shown where this file trains on it (AGL002)", async () => {
  const ds = await lintIn('model-cut', 'train.py');
  assert.deepEqual(brief(ds), ['12:AGL002']);
  assert.match(ds[0].message, /^In `tagger\(x\)` \(line 16 of nets\.py\): `\.data` cuts the model out of the loss/);
  const linter = await getLinter();
  assert.deepEqual((linter.lastRun.revealed ?? []).map((r) => `${r.path}:${r.diagnostic.range.start.line + 1}:${r.diagnostic.code}`), ['nets.py:16:AGL002']);
  // The model file alone never trains it; a classifier returning logits and argmax ids, and a detached EMA target
  // beside a live loss, are clean; without the workspace the model is a library name and nothing is reported.
  assert.deepEqual(brief(await lintIn('model-cut', 'nets.py')), []);
  assert.deepEqual(brief(await lintIn('model-cut', 'train_ok.py')), []);
  assert.deepEqual(brief(await lintIn('model-cut', 'train.py', false)), []);
});

test('relative imports through two files of a package (fit.py -> nets.py -> layers.py)', async () => {
  const ds = await lintIn('package', 'pkg/fit.py');
  assert.deepEqual(brief(ds), ['17:AGL010']);
  assert.match(ds[0].message, /nn\.LeakyReLU/);
  assert.deepEqual(brief(await lintIn('package', 'pkg/fit.py', false)), []);
});

test('what the other file reports by itself is not repeated in the importer; what its use causes is', async () => {
  const own = await lintIn('own-finding', 'helpers.py');
  assert.deepEqual(brief(own), ['7:AGL001']);
  const ds = await lintIn('own-finding', 'train.py');
  // The helper's graphless derivative is helpers.py's own finding; that train.py's backward then goes through the
  // graph the helper's `grad` freed is train.py's (line 8), and names the helper's line.
  assert.deepEqual(brief(ds), ['8:AGL019']);
  assert.match(ds[0].message, /line 7 of helpers\.py/);
});

test('an import cycle ends, and a file with a syntax error is linted alone', async () => {
  const linter = await getLinter();
  const files = filesOf(join(FIXTURES, 'cycle'));
  for (const p of ['a.py', 'b.py']) assert.deepEqual(linter.lint(files.get(p)!, { path: p, workspace: workspaceOf(files) }), linter.lint(files.get(p)!, { path: p }));
  const pinn = filesOf(join(FIXTURES, 'pinn'));
  const broken = `${pinn.get('train.py')!}def broken(:\n`;
  const withWs = linter.lint(broken, { path: 'train.py', workspace: workspaceOf(pinn) });
  assert.deepEqual(withWs, linter.lint(broken, { path: 'train.py' }));
  assert.equal(linter.lastRun.syntaxError, true);
});

test("the file's own findings, positions and fixes are the same with the workspace", async () => {
  const linter = await getLinter();
  const files = filesOf(join(FIXTURES, 'pinn'));
  // train.py plus a mistake of its own with a fix (a graphless derivative trained on, in this file).
  const text = `${files.get('train.py')!}g = torch.autograd.grad(net(x).sum(), x)[0]\nextra = (g - 1).pow(2).mean()\nextra.backward()\n`;
  const alone = linter.lint(text, { path: 'train.py' });
  const own = alone.find((d) => d.code === 'AGL001' && d.range.start.line === 15);
  assert.ok(own && own.fixes.length > 0, 'the file\'s own AGL001 with a fix');
  const ds = linter.lint(text, { path: 'train.py', workspace: workspaceOf(files) });
  assert.deepEqual(
    ds.find((d) => d.code === 'AGL001' && d.range.start.line === 15),
    own,
  );
  // With CRLF line breaks, the same positions.
  const crlf = linter.lint(text.replace(/\n/g, '\r\n'), { path: 'train.py', workspace: workspaceOf(files) });
  assert.deepEqual(brief(crlf), brief(ds));
});

test('lintDocument with a workspace gives what lint gives, also after an edit', async () => {
  const linter: Linter = await getLinter();
  const files = filesOf(join(FIXTURES, 'pinn'));
  const ws = workspaceOf(files);
  const text = files.get('train.py')!;
  assert.deepEqual(linter.lintDocument('mem://train', text, { path: 'train.py', workspace: ws }), linter.lint(text, { path: 'train.py', workspace: ws }));
  const edited = text.replace('lr=1e-3', 'lr=1e-2');
  assert.deepEqual(linter.lintDocument('mem://train', edited, { path: 'train.py', workspace: ws }), linter.lint(edited, { path: 'train.py', workspace: ws }));
  linter.forget('mem://train');
});

/** `autograd-lens lint --format json ARGS DIR` as `file:line:CODE`, sorted (the file by its base name). */
function cliFindings(dir: string, ...args: string[]): string[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'lint', '--format', 'json', ...args, dir], { cwd: ROOT, encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { file: string; code: string; line: number }[]).map((f) => `${f.file.replace(/.*\//, '')}:${f.line}:${f.code}`).sort();
}

test('the CLI follows imports of files under the linted folder; --single-file does not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agl-ws-'));
  try {
    for (const [p, t] of filesOf(join(FIXTURES, 'pinn'))) writeFileSync(join(dir, p), t);
    const run = (...args: string[]): string[] => cliFindings(dir, ...args);
    // The graphless helper of models.py that train.py trains on is reported at the call and in models.py, where create_graph goes.
    assert.deepEqual(run(), ['models.py:17:AGL001', 'train.py:10:AGL010', 'train.py:11:AGL001']);
    assert.deepEqual(run('--single-file'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI follows a notebook\'s imports of files under the linted folder as a Python file\'s; --single-file does not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agl-ws-nb-'));
  try {
    const files = filesOf(join(FIXTURES, 'pinn'));
    for (const [p, t] of files) if (p !== 'train.py') writeFileSync(join(dir, p), t);
    // train.py's code as the one code cell of a notebook beside models.py.
    const cell = files.get('train.py')!;
    const nb = { cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: cell.split(/(?<=\n)/) }], metadata: { kernelspec: { language: 'python', name: 'python3', display_name: 'Python 3' } }, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(join(dir, 'train.ipynb'), JSON.stringify(nb));
    const run = (...args: string[]): string[] => cliFindings(dir, ...args);
    const followed = run();
    assert.ok(followed.some((c) => c.startsWith('train.ipynb:') && c.endsWith(':AGL010')), followed.join(' '));
    assert.ok(followed.some((c) => c.startsWith('train.ipynb:') && c.endsWith(':AGL001')), followed.join(' '));
    assert.deepEqual(run('--single-file').filter((c) => c.startsWith('train.ipynb:')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
