/**
 * What JAX's transforms do, as data for the analysis. JAX is not installable where this project is
 * tested: every fact follows the documentation (https://docs.jax.dev/en/latest/_autosummary/jax.grad.html,
 * https://docs.jax.dev/en/latest/_autosummary/jax.vmap.html, the "gradients with where" FAQ entry).
 */
import type { DerivativeSpec } from './torch';

const T = (p: Partial<DerivativeSpec>): DerivativeSpec => ({
  framework: 'jax', returns: 'function', params: ['fun', 'argnums', 'has_aux', 'holomorphic', 'allow_int', 'reduce_axes'], func: 'fun',
  shape: 'gradient', order: 1, scalarOutput: true, ...p,
});

export const JAX_DERIVATIVES: Readonly<Record<string, DerivativeSpec>> = {
  'jax.grad': T({}),
  'jax.value_and_grad': T({}),
  'jax.jacfwd': T({ shape: 'jacobian', scalarOutput: false }),
  'jax.jacrev': T({ shape: 'jacobian', scalarOutput: false }),
  'jax.jacobian': T({ shape: 'jacobian', scalarOutput: false }),
  'jax.hessian': T({ shape: 'hessian', order: 2, scalarOutput: false }),
};

/** Transforms that map a function over a batch axis or compile it (no derivative). */
export const JAX_MAPS = new Set(['jax.vmap', 'jax.pmap', 'jax.jit', 'jax.checkpoint', 'jax.remat']);

/** Functions whose result carries no gradient. */
export const JAX_CUT_FUNCTIONS = new Set(['jax.lax.stop_gradient', 'jax.numpy.round', 'jax.numpy.floor', 'jax.numpy.argmax', 'jax.numpy.sign']);

export const JAX_RISKY = new Set(['jax.numpy.sqrt', 'jax.numpy.log', 'jax.numpy.linalg.norm', 'jax.numpy.arccos', 'jax.numpy.arcsin', 'jax.numpy.power', 'jax.numpy.divide', 'jax.numpy.log1p']);
export const JAX_PIECEWISE_LINEAR = new Set(['jax.nn.relu', 'jax.nn.relu6', 'jax.nn.leaky_relu', 'jax.numpy.abs', 'jax.numpy.maximum', 'jax.numpy.minimum', 'jax.numpy.clip']);
