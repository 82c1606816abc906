/**
 * AGL021 graph-mode-gradients-in-eager: `tf.gradients` / `K.gradients` in TensorFlow 2 code that runs
 * eagerly: it raises "tf.gradients is not supported when eager execution is enabled", and inside Keras
 * layers and losses it returns None.
 */
import type { Rule } from '../rule';
import { field, namedChildren, type PyNode } from '../tree';


export const AGL021: Rule = {
  meta: {
    code: 'AGL021',
    name: 'graph-mode-gradients-in-eager',
    summary: '`tf.gradients` / `K.gradients` in TensorFlow 2 eager code: it raises, or returns None in Keras layers and losses.',
    framework: 'tensorflow',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `tf.keras.backend.gradients(...)` / `keras.backend.gradients(...)`, and `tf.gradients(...)` in code that ' +
        'visibly runs eagerly (it uses `GradientTape`, `tf.function` or `.numpy()`), when the file shows no TensorFlow 1 graph ' +
        'mode (`Session`, `placeholder`, `get_variable`, `tf.compat.v1`, `disable_eager_execution()`) nor Keras on the Theano ' +
        'backend (`import theano`, which has no eager execution) and the call is not inside a `@tf.function`.',
      whyIsThisBad:
        'TensorFlow 2 executes eagerly: there is no graph for `tf.gradients` to walk, and it raises "tf.gradients is not ' +
        'supported when eager execution is enabled. Use tf.GradientTape instead". In a Keras custom layer or loss the code ' +
        'runs while Keras traces a function, and `K.gradients` returns `[None]`; the gradient penalty or input gradient built ' +
        'from it silently fails later. Code written for TensorFlow 1 / standalone Keras keeps working until the upgrade, which ' +
        'is why this comes up in issues of many older repositories.',
      example: ['```python', 'grads = K.gradients(model.output, model.input)', '```'].join('\n'),
      useInstead: [
        '```python',
        'x = tf.convert_to_tensor(batch)',
        'with tf.GradientTape() as tape:',
        '    tape.watch(x)',
        '    y = model(x)',
        'grads = tape.gradient(y, x)',
        '```',
      ].join('\n'),
      knownProblems:
        'A file that enables graph mode elsewhere (another module calls `tf.compat.v1.disable_eager_execution()`) is ' +
        'reported anyway; suppress with `# noqa: AGL021`. Standalone Keras 2.x on a TensorFlow 1 backend still supports ' +
        '`K.gradients`.',
      fixSafety: 'No fix: moving to `GradientTape` restructures the code around the forward pass.',
      references: ['[Migrate to TensorFlow 2: tf.gradients](https://www.tensorflow.org/guide/migrate/migrating_feature_columns)', '[tf.GradientTape](https://www.tensorflow.org/api_docs/python/tf/GradientTape)'],
    },
  },

  check(ctx) {
    // Read from the whole file, once there is a derivative they decide about (see facts.ts).
    for (const d of ctx.analysis.events.derivatives) {
      if (d.api !== 'tensorflow.gradients' && d.api !== 'tensorflow.keras.backend.gradients') continue;
      if (ctx.model.fileFact('tf-graph-mode')) return;
      // `tf.gradients` is also right in TensorFlow 1 code; only code that visibly runs eagerly is reported.
      // Keras' backend `gradients` returns None in TensorFlow 2 Keras whatever the rest of the file does.
      if (d.api === 'tensorflow.gradients' && !ctx.model.fileFact('tf-eager')) continue;
      if (insideTfFunction(ctx, d.node)) continue;
      const fn = field(d.node, 'function');
      ctx.report({
        node: d.node,
        message:
          `\`${fn ? ctx.text(fn) : 'tf.gradients'}\` is TensorFlow 1 graph-mode API: under TensorFlow 2's eager execution it raises ` +
          '"tf.gradients is not supported when eager execution is enabled", and inside Keras layers and losses it returns None. ' +
          'Record the computation with `tf.GradientTape` and call `tape.gradient`.',
      });
    }
  },
};

function insideTfFunction(ctx: { text(n: PyNode): string }, node: PyNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type !== 'decorated_definition') continue;
    if (n.children.some((d) => d.type === 'decorator' && namedChildren(d).some((e) => /(?:^|\.)function\b/.test(ctx.text(e))))) return true;
  }
  return false;
}
