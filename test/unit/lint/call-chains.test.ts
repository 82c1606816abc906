/**
 * How the semantic model represents chained calls:
 *   - a method called on a call's result (`torch.rand(3).requires_grad_()`) is a method call whose
 *     receiver is the inner call, never a module function `torch.rand.requires_grad_`;
 *   - a call of a call (`jax.grad(f)(x)`, `nn.MSELoss()(a, b)`) has no qualified name of its own: its
 *     `calleeCall` is the inner call, and `rootCalleeName` names what made the callable.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPythonParser } from '../../../src/core/lint/parser';
import { rootCalleeName, SemanticModel, type CallInfo } from '../../../src/core/lint/semantic';

async function calls(src: string): Promise<{ m: SemanticModel; call: (text: string) => CallInfo; text: (c: CallInfo | null) => string | null }> {
  const m = new SemanticModel((await loadPythonParser()).parse(src));
  const call = (text: string): CallInfo => {
    const found = m.calls.filter((c) => m.textOf(c.node) === text);
    assert.equal(found.length, 1, `exactly one call \`${text}\``);
    return found[0];
  };
  return { m, call, text: (c) => (c ? m.textOf(c.node) : null) };
}

test('a method on a call result is a method call whose receiver is that call', async () => {
  const src = [
    'import torch as T',
    'from torch import rand',
    'x = T.rand(3).requires_grad_()',
    'y = rand(2, 2).double().requires_grad_(True)',
    'z = T.rand(3, requires_grad=True).detach().numpy()',
    '',
  ].join('\n');
  const { m, call } = await calls(src);
  const rg = call('T.rand(3).requires_grad_()');
  assert.equal(rg.qname, null);
  assert.equal(rg.calleeCall, null);
  assert.equal(rg.method, 'requires_grad_');
  assert.equal(m.textOf(rg.receiver!), 'T.rand(3)');
  assert.equal(m.call(rg.receiver!)?.qname, 'torch.rand');
  assert.equal(m.qualifiedName(rg.node), null);

  const chained = call('rand(2, 2).double().requires_grad_(True)');
  assert.equal(chained.method, 'requires_grad_');
  assert.equal(m.textOf(chained.receiver!), 'rand(2, 2).double()');
  const dbl = call('rand(2, 2).double()');
  assert.equal(dbl.method, 'double');
  assert.equal(m.call(dbl.receiver!)?.qname, 'torch.rand');

  const numpy = call('T.rand(3, requires_grad=True).detach().numpy()');
  assert.equal(numpy.method, 'numpy');
  assert.equal(m.textOf(numpy.receiver!), 'T.rand(3, requires_grad=True).detach()');
});

test('a call of a call has no qualified name; calleeCall links the inner call', async () => {
  const src = [
    'import jax',
    'import torch.nn as nn',
    'def f(x):',
    '    return x ** 2',
    'g = jax.grad(f)(3.0)',
    'h = jax.jacrev(jax.grad(f2))(3.0)',
    'l = nn.MSELoss()(a, b)',
    '',
  ].join('\n');
  const { m, call, text } = await calls(src);
  const outer = call('jax.grad(f)(3.0)');
  assert.equal(outer.qname, null, 'the outer call is not a call of jax.grad');
  assert.equal(outer.method, null);
  assert.equal(outer.receiver, null);
  assert.equal(text(outer.calleeCall), 'jax.grad(f)');
  assert.equal(outer.calleeCall?.qname, 'jax.grad');
  assert.equal(rootCalleeName(outer), 'jax.grad');
  assert.equal(m.qualifiedName(outer.node), null);
  // The inner call keeps its name and its own arguments.
  const inner = call('jax.grad(f)');
  assert.equal(inner.qname, 'jax.grad');
  assert.equal(inner.calleeCall, null);
  assert.deepEqual(inner.positional.map((p) => m.textOf(p)), ['f']);
  assert.deepEqual(outer.positional.map((p) => m.textOf(p)), ['3.0']);

  const nested = call('jax.jacrev(jax.grad(f2))(3.0)');
  assert.equal(nested.qname, null);
  assert.equal(nested.calleeCall?.qname, 'jax.jacrev');
  assert.equal(rootCalleeName(nested), 'jax.jacrev');

  const loss = call('nn.MSELoss()(a, b)');
  assert.equal(loss.qname, null);
  assert.equal(rootCalleeName(loss), 'torch.nn.MSELoss');
  assert.equal(rootCalleeName(call('nn.MSELoss()')), 'torch.nn.MSELoss');
});

test('calls of calls several levels deep and in parentheses', async () => {
  const { m, call, text } = await calls('import jax\nv = (jax.vmap(jax.grad(f)))(xs)\nw = make()(1)(2)\n');
  const v = call('(jax.vmap(jax.grad(f)))(xs)');
  assert.equal(v.qname, null);
  assert.equal(text(v.calleeCall), 'jax.vmap(jax.grad(f))');
  assert.equal(rootCalleeName(v), 'jax.vmap');
  const w = call('make()(1)(2)');
  assert.equal(text(w.calleeCall), 'make()(1)');
  assert.equal(text(w.calleeCall!.calleeCall), 'make()');
  assert.equal(rootCalleeName(w), 'make', 'an unbound name resolves to itself');
  assert.equal(m.qualifiedName(w.node), null);
});

test('self.method(...) links to a decorated method, and from a decorated caller; a property is not a call target', async () => {
  const src = [
    'import torch',
    '',
    'class Base:',
    '    def shared(self, x):',
    '        return x',
    '',
    'class Trainer(Base):',
    '    @torch.no_grad()',
    '    def evaluate(self, x):',
    '        return self.model(x)',
    '',
    '    @staticmethod',
    '    def scale(x):',
    '        return 2 * x',
    '',
    '    @property',
    '    def head(self):',
    '        return self.model',
    '',
    '    @torch.enable_grad()',
    '    def run(self, x):',
    '        a = self.evaluate(x)',
    '        b = self.scale(a)',
    '        c = self.shared(b)',
    '        return self.head(c)',
    '',
  ].join('\n');
  const { m, call } = await calls(src);
  assert.equal(call('self.evaluate(x)').local?.name, 'evaluate');
  assert.equal(call('self.scale(a)').local?.name, 'scale');
  assert.equal(call('self.shared(b)').local?.name, 'shared', 'a method of a base class of the file');
  assert.equal(call('self.head(c)').local ?? null, null, 'a property returns the callable; its function is not what runs');
  const evaluate = m.functions.find((f) => f.name === 'evaluate')!;
  assert.equal(m.textOf(m.classOfMethod(evaluate)!).split(':')[0], 'class Trainer(Base)');
  assert.equal(m.classOfMethod(m.functions.find((f) => f.name === 'shared')!) !== null, true);
});
