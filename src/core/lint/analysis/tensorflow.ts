/**
 * TensorFlow / Keras semantics for the analysis: tapes (what they record and watch, how often they are
 * used), Variables, `model.predict` and `.numpy()` leaving the tape, Keras layers and models as modules.
 * TensorFlow cannot be run where this project is tested; every behaviour follows the documentation
 * (https://www.tensorflow.org/guide/autodiff, https://www.tensorflow.org/api_docs/python/tf/GradientTape).
 */
import { field, namedChildren, unparen, type PyNode } from '../tree';
import type { CallInfo, FunctionInfo } from '../semantic';
import type { Env } from './env';
import type { Frame } from './interpreter';
import { dependsOnInput, literalShape, positionalArgs, shapeArg, unsqueezedDims, type Args, type LibrarySemantics } from './library';
import { TF_DERIVATIVES, TF_CUT_FUNCTIONS, TF_NUMPY_FUNCTIONS, TF_TAPE_CLASSES, KERAS_PIECEWISE_LINEAR, KERAS_SMOOTH, KERAS_WEIGHT_ATTRIBUTES, TF_CUSTOM_GRADIENT, TF_PIECEWISE_LINEAR, TF_RISKY, TF_CASTS, TF_GRADIENT_FUNCTIONS, TF1_FUNCTIONAL_LAYERS } from '../knowledge/tensorflow';
import { SMOOTH_FUNCTIONS } from '../knowledge/torch';
import { av, BOTTOM, combineTensors, cutTensor, EMPTY_MODULE, isKind, joinModule, Kind, NONE, NO_IDS, seq, tensor, tensorFacts, union, UNKNOWN, type AV, type ClassRef, type ModuleFacts, type TensorFacts } from './values';

/** A function named as a loss (the interpreter's `LOSS_NAME`, not imported here to keep the modules acyclic). */
const LOSS_FUNCTION_NAME = /loss|criterion|objective|penalty/i;
/** Names Keras code gives the prediction argument of a loss (`loss_fn(y_true, y_pred)`). */
const PREDICTION_PARAM = /^(?:y_?pred\w*|y_?hat|preds?|predictions?|logits|outputs?|y_?out)$/i;

const TF1_GET_VARIABLE = new Set(['tensorflow.get_variable', 'tensorflow.compat.v1.get_variable']);

export class TensorFlowSemantics {
  constructor(private readonly L: LibrarySemantics) {}

  /** A `tensorflow.*` function or class; null to let the generic handling answer. */
  call(q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV | null {
    const a0 = args.pos[0] ?? UNKNOWN;
    if (TF_TAPE_CLASSES.has(q)) {
      const persistent = this.L.flag(args, 'persistent', ['persistent', 'watch_accessed_variables'], false);
      const watchVars = this.L.flag(args, 'watch_accessed_variables', ['persistent', 'watch_accessed_variables'], true);
      // A new tape each time this runs (a tape made inside a loop is fresh in every iteration).
      env.tapeStates.set(node.id, { uses: [], watched: [] });
      return av({ kind: Kind.LIBINST, lib: ['tensorflow.GradientTape'], site: node.id, obj: node.id, lit: persistent === true ? 'persistent' : persistent === null ? 'unknown' : watchVars === false ? 'no-auto-watch' : 'plain' });
    }
    if (q === 'tensorflow.placeholder' || q === 'tensorflow.compat.v1.placeholder') {
      // TF1 graph mode: a placeholder is a source that `tf.gradients` differentiates against.
      // Its rank is that of its `shape` (`[None, 28, 28, 1]`, `[bs] + image_dims`) when written out.
      return av({ kind: Kind.TENSOR, t: tensorFacts({ leafOf: node.id, dtype: 'float', dims: this.shapeOf(args, 'shape', 1) }), site: node.id });
    }
    if (q === 'tensorflow.Variable') {
      const t = a0.t ?? tensorFacts({});
      return av({ kind: Kind.TENSOR, t: tensorFacts({ ...cutTensor(t, node.id), variable: true, params: [node.id], dims: t.dims ?? literalShape(a0), dtype: this.literalDtype(args) ?? t.dtype ?? 'float' }), site: node.id });
    }
    if (TF1_GET_VARIABLE.has(q)) {
      // TF1's `tf.get_variable(name, shape=None, dtype=None, initializer=None, ...)` makes a Variable too (its first argument
      // is a name): a float one unless `dtype=` says otherwise.
      const dtNode = args.kwNodes.get('dtype') ?? args.posNodes[2];
      const dt = dtNode ? this.L.text(dtNode) : '';
      const dtype = /bool/.test(dt) ? 'bool' : /int/.test(dt) ? 'int' : 'float';
      return av({ kind: Kind.TENSOR, t: tensorFacts({ variable: true, params: [node.id], dims: this.shapeOf(args, 'shape', 1), dtype }), site: node.id });
    }
    if (TF_CUSTOM_GRADIENT.has(q) && args.pos[0]) return this.customGradient(args.pos[0]);
    if ((q === 'tensorflow.py_function' || q === 'tensorflow.compat.v1.py_function') && a0 && (isKind(a0, Kind.FUNC) || isKind(a0, Kind.LIBINST) || isKind(a0, Kind.LIB))) {
      // `tf.py_function(func, inp, Tout)` runs `func` eagerly on the tensors of `inp`, and the tape records what it does
      // with TensorFlow operations: its result is `func`'s on those tensors (a `.numpy()` inside cuts as it does outside).
      const inp = args.pos[1] ?? args.kw.get('inp');
      const items = inp ? (inp.items ?? (inp.elem ? [inp.elem] : [inp])) : [];
      if (inp?.items) {
        const r = this.L.invoke(a0, positionalArgs([...items]), node, env, frame);
        return av({ kind: Kind.TENSOR, t: r.t ?? tensorFacts({}), site: node.id });
      }
    }
    if (q === 'tensorflow.while_loop' || q === 'tensorflow.compat.v1.while_loop') {
      // `tf.while_loop(cond, body, loop_vars)`: `body` runs on the loop variables, each a tensor of its own inside the body
      // (two loop variables started from the same tensor are not connected there). The loop's result is left to the
      // default (it depends on the loop variables).
      const body = args.pos[1] ?? args.kw.get('body');
      const varsNode = args.posNodes[2] ?? args.kwNodes.get('loop_vars');
      const vars = args.pos[2] ?? args.kw.get('loop_vars');
      const list = varsNode ? unparen(varsNode) : null;
      if (body && isKind(body, Kind.FUNC) && vars?.items && list && (list.type === 'list' || list.type === 'tuple')) {
        const nodes = namedChildren(list);
        if (nodes.length === vars.items.length) {
          const fresh = vars.items.map((v, i) =>
            v.t ? av({ kind: Kind.TENSOR, t: tensorFacts({ leafOf: nodes[i].id, dtype: v.t.dtype, dims: v.t.dims }), site: nodes[i].id }) : v);
          this.L.invoke(body, positionalArgs(fresh), node, env, frame);
        }
      }
    }
    if (TF_NUMPY_FUNCTIONS.has(q)) {
      // `tf.numpy_function(func, inp, Tout)`: `func` runs on NumPy arrays, and no gradient flows through it
      // (https://www.tensorflow.org/api_docs/python/tf/numpy_function: "you cannot take gradients through a numpy_function").
      const inp = args.pos[1] ?? args.kw.get('inp');
      const parts = inp ? (inp.items ?? (inp.elem ? [inp.elem] : [inp])) : [];
      const base = combineTensors(parts.map((p) => p.t));
      return av({ kind: Kind.TENSOR, t: cutTensor(base, node.id), site: node.id });
    }
    if (TF_CUT_FUNCTIONS.has(q)) return av({ kind: Kind.TENSOR, t: a0.t ? cutTensor(a0.t, node.id) : tensorFacts({}), site: node.id });
    const spec = TF_DERIVATIVES[q];
    if (spec) return this.L.derivative(q, spec, args, node, env, frame);
    // `tfe.gradients_function(f)`: differentiates when called.
    if (TF_GRADIENT_FUNCTIONS[q]) return av({ kind: Kind.LIBINST, lib: [q], elem: args.pos[0] ?? args.kw.get('f') ?? UNKNOWN, site: node.id });
    if (/^tensorflow\.keras\.(?:layers|models)\.[A-Z]\w*$/.test(q) || q === 'tensorflow.keras.Sequential' || q === 'tensorflow.keras.Model') {
      const name = q.slice(q.lastIndexOf('.') + 1);
      // The layer's nonlinearity: its own kind (`ReLU()`, `ELU()`), or its `activation` (`Activation('relu')`).
      const act = name === 'Activation' ? (args.pos[0] ?? args.kw.get('activation')) : args.kw.get('activation');
      const shape = KERAS_PIECEWISE_LINEAR.has(name) ? 'pwl' : KERAS_SMOOTH.has(name) ? 'curved' : act ? activationShape(act) : null;
      const pwl = shape === 'pwl' ? [node.id] : [];
      const curvedLayer = shape === 'curved' ? [node.id] : [];
      const units = args.kw.get('units')?.lit ?? (name === 'Dense' ? args.pos[0]?.lit : undefined);
      // A functional model (`Model(inputs, outputs)`) holds the weights its outputs depend on.
      const outputs = name === 'Model' ? (args.kw.get('outputs') ?? args.pos[1]) : undefined;
      const outParams = outputs ? tensorOfOutputs(outputs) : [];
      // A Lambda layer applies its function (with `arguments=` as keywords) to its input.
      const lambda = name === 'Lambda' ? { elem: args.pos[0] ?? args.kw.get('function') ?? UNKNOWN, keys: args.kw.get('arguments')?.keys ?? null } : {};
      // BatchNormalization normalizes with the batch's statistics when called with `training=True`.
      // A Sequential built from a list holds its layers' BatchNormalization.
      const layerCoupled = q.endsWith('Sequential') ? (a0.items ?? []).reduce<number[]>((acc, l) => [...union(acc, l.mod?.coupled ?? [])], []) : [];
      const coupled = /^(?:Sync)?BatchNormalization$/.test(name) ? [node.id] : layerCoupled;
      // A Sequential is as nonlinear as its layers; a functional Model as the outputs it was built from.
      const layers = q.endsWith('Sequential') ? (a0.items ?? []) : [];
      // A list whose items are not known one by one (a comprehension, a sum of lists): its element stands for them.
      const anyLayer = q.endsWith('Sequential') && !a0.items && a0.elem ? [a0.elem] : [];
      const from = outputs ? (outputs.items ?? [outputs]).map((o) => o.t).filter((t): t is TensorFacts => !!t) : [];
      // One nonlinearity facet over the layers and the outputs, starting from the layer's own.
      const facet = (k: 'pwl' | 'curved', own: readonly number[]): readonly number[] =>
        [...layers, ...anyLayer].map((l) => l.mod?.[k] ?? NO_IDS).concat(from.map((t) => t[k])).reduce<readonly number[]>((acc, x) => union(acc, x), own);
      const mod: ModuleFacts = {
        ...EMPTY_MODULE,
        params: /Activation|ReLU|Dropout|Flatten|Input|Lambda/.test(name) ? [] : union(outParams, [node.id]),
        pwl: facet('pwl', pwl),
        curved: facet('curved', curvedLayer),
        coupled,
        outFeatures: typeof units === 'number' ? units : layers.length > 0 ? (layers[layers.length - 1].mod?.outFeatures ?? null) : null,
      };
      return av({ kind: Kind.LIBINST, lib: [q], site: node.id, mod, items: q.endsWith('Sequential') ? asItems(a0) : null, ...lambda });
    }
    // TF1 functional layers (`tf.layers.dense(x, 10)`, `tf.contrib.layers.fully_connected`): each call makes the Variables of
    // a new layer, so its output depends on them (the call site stands for them, as a Keras layer's does).
    if (TF1_FUNCTIONAL_LAYERS.has(q) && a0.t) {
      return av({ kind: Kind.TENSOR, t: tensorFacts({ ...a0.t, params: union(a0.t.params, [node.id]), dims: null, leafOf: null, mayLeaf: [] }), site: node.id });
    }
    if (q.startsWith('tensorflow.keras.losses.') && /^[A-Z]/.test(q.slice(q.lastIndexOf('.') + 1))) return av({ kind: Kind.LIBINST, lib: ['tensorflow.loss'], site: node.id });
    if (q.startsWith('tensorflow.keras.optimizers.')) return av({ kind: Kind.LIBINST, lib: ['tensorflow.optimizer'], site: node.id, obj: node.id });
    if (q === 'tensorflow.constant' || q === 'tensorflow.convert_to_tensor' || q === 'tensorflow.linspace') {
      const t = a0.t ? cutTensor(a0.t, node.id) : tensorFacts({});
      const dtype = q === 'tensorflow.linspace' ? 'float' : (this.literalDtype(args) ?? 'float');
      // `tf.constant(0.0)`, `tf.constant([0.0, 1.0])`: literal floating-point data holding a 0 (all of it for a scalar).
      const zero = q === 'tensorflow.constant' && dtype === 'float' ? this.literalZero(args.posNodes[0]) : null;
      const zeroData = zero ? this.L.zeroDataSite(node, zero === 'partial') : t.zeroData;
      // `tf.linspace(a, b, n)`: a vector (its size, like a batch's, is left unknown: shapeOf).
      const dims = q === 'tensorflow.linspace' ? [null] : (a0.t?.dims ?? null);
      return av({ kind: Kind.TENSOR, t: tensorFacts({ ...t, dims, dtype, variable: false, zeroData }), site: node.id });
    }
    if (SHAPED_CONSTANTS.has(q)) {
      // New values of a given `shape` (`tf.random.uniform([B, 1, 1, 1])`): its rank is the shape's length. `tf.zeros`: 0 in every entry.
      const zeroData = q === 'tensorflow.zeros' && !/int|bool/.test(args.kwNodes.get('dtype') ? this.L.text(args.kwNodes.get('dtype')!) : '') ? this.L.zeroDataSite(node) : [];
      return av({ kind: Kind.TENSOR, t: tensorFacts({ dims: this.shapeOf(args, 'shape', 0), dtype: 'float', zeroData }), site: node.id });
    }
    if (TF_CASTS.has(q)) {
      // To an integer or boolean dtype: TensorFlow differentiates floating-point values only.
      const dtNode = args.posNodes[1] ?? args.kwNodes.get('dtype');
      const dtLit = args.pos[1]?.lit ?? args.kw.get('dtype')?.lit;
      const dt = dtNode ? this.L.text(dtNode) : typeof dtLit === 'string' ? dtLit : '';
      if (/int|bool/.test(dt)) {
        const cut = a0.t ? cutTensor(a0.t, node.id) : tensorFacts({});
        return av({ kind: Kind.TENSOR, t: tensorFacts({ ...cut, dtype: /bool/.test(dt) ? 'bool' : 'int' }), site: node.id });
      }
      // To a floating-point dtype: a float tensor, whatever the input's dtype was.
      if (/float|double|half/.test(dt) && a0.t) return this.op([a0], node, env, a0.t.dims, { dtype: 'float' });
    }
    // A saved or cloned model: a Keras model whose layers are not visible here.
    // A pretrained application (`VGG16(weights='imagenet')`, `tf.keras.applications.resnet50.ResNet50(...)`) too.
    if (
      /^tensorflow\.keras\.(?:models\.|saving\.)?(?:load_model|clone_model|model_from_json|model_from_config)$/.test(q) ||
      /^tensorflow\.keras\.applications\.(?:\w+\.)?[A-Z]\w*$/.test(q)
    ) {
      return av({ kind: Kind.LIBINST, lib: ['tensorflow.keras.Model'], site: node.id, mod: { ...EMPTY_MODULE, params: [node.id] } });
    }
    // `tf.keras.losses.get("mse")`, `tf.keras.activations.get(...)`: Keras' registries return the function named.
    const getter = /^tensorflow\.keras\.(\w+)\.(?:get|deserialize)$/.exec(q);
    if (getter) return av({ kind: Kind.LIBINST, lib: [getter[1] === 'losses' ? 'tensorflow.loss' : q], site: node.id });
    if (q === 'tensorflow.function' || q === 'tensorflow.keras.backend.function') return a0;
    if (q === 'tensorflow.where' || q === 'tensorflow.compat.v1.where' || q === 'tensorflow.where_v2' || q === 'tensorflow.select') {
      const branches = args.pos.slice(1);
      const r = this.op(branches, node, env, branches[0]?.t?.dims ?? null);
      const masked = branches.length >= 2 ? this.L.whereMasked(args.posNodes[0] ?? null, branches, node, frame, { branchNodes: args.posNodes.slice(1) }) : [];
      const condCuts = args.pos[0]?.t ? cutTensor(args.pos[0].t, node.id).cuts : [];
      return av({ ...r, t: tensorFacts({ ...r.t!, risky: [], masked: union(r.t!.masked, masked), cuts: [...r.t!.cuts, ...condCuts] }) });
    }
    if (q.startsWith('tensorflow.')) {
      // A Python list of tensors (`tf.reduce_sum(rhos)`, `tf.stack(terms)`) is converted to one tensor: its items count.
      const parts = [...args.pos, ...args.kw.values()].flatMap((p) => (p.t ? [p] : isKind(p, Kind.SEQ) ? [...(p.items ?? []), ...(p.elem ? [p.elem] : [])].filter((x) => x.t) : []));
      const name = q.slice(q.lastIndexOf('.') + 1);
      const base = combineTensors(parts.map((p) => p.t));
      // Rectifiers, abs, max/min and clipping are piecewise linear; tanh, exp, sin... are curved.
      const shape = TF_PIECEWISE_LINEAR.has(q) ? { pwl: union(base.pwl, [node.id]) } : SMOOTH_FUNCTIONS.has(name) && dependsOnInput(base) ? { curved: union(base.curved, [node.id]) } : {};
      const r = this.op(parts, node, env, this.resultDims(name, args), shape);
      if (name === 'multiply') this.L.noteLogProduct(node, args.pos[0], args.pos[1], args.posNodes[0], args.posNodes[1]);
      this.noteReduction(q, name, args, node, frame);
      // `tf.pow(x, p)` with a visible exponent of 1 or more (or 0) has a finite derivative everywhere.
      const smoothPower = name === 'pow' && typeof args.pos[1]?.lit === 'number' && (args.pos[1].lit >= 1 || args.pos[1].lit === 0);
      if (TF_RISKY.has(name) && !smoothPower && r.t) return av({ ...r, t: tensorFacts({ ...r.t, risky: union(r.t.risky, this.L.riskySite(args.pos[0], node)) }) });
      // `tf.maximum(tf.norm(x), eps)`, `tf.clip_by_value(tf.sqrt(x), eps, big)`: a floor applied after the singular operation.
      const floored =
        name === 'maximum' ? this.L.floorMasked(args.pos[0], args.pos[1], node, frame) : name === 'clip_by_value' ? this.L.floorMasked(args.pos[0], args.kw.get('clip_value_min') ?? args.pos[1], node, frame) : [];
      if (floored.length > 0 && r.t) return av({ ...r, t: tensorFacts({ ...r.t, risky: [], masked: union(r.t.masked, floored) }) });
      return r;
    }
    return null;
  }

  /** Literal data with a 0 entry: `'all'` for a scalar 0 (`0.0`), `'partial'` for a list or tuple holding one. */
  private literalZero(n: PyNode | undefined): 'all' | 'partial' | null {
    if (!n) return null;
    const data = unparen(n);
    if (data.type === 'float' || data.type === 'integer') return Number(this.L.text(data).replace(/_/g, '')) === 0 ? 'all' : null;
    if (data.type !== 'list' && data.type !== 'tuple') return null;
    const stack = [data];
    while (stack.length > 0) {
      const y = stack.pop()!;
      if ((y.type === 'integer' || y.type === 'float') && Number(this.L.text(y).replace(/_/g, '')) === 0) return 'partial';
      if (y.type === 'list' || y.type === 'tuple' || y.type === 'unary_operator') for (const c of namedChildren(y)) stack.push(c);
    }
    return null;
  }

  /**
   * The dtype a Variable or constant gets from what is written: `dtype=` when given (an integer or boolean
   * dtype is 'int'/'bool'), else 'int' for a literal made only of integers (`tf.Variable([[2, 2], [2, 2]])`,
   * `tf.constant(10)`: TensorFlow infers int32, https://www.tensorflow.org/guide/autodiff), null otherwise.
   */
  private literalDtype(args: Args): TensorFacts['dtype'] | null {
    const dtNode = args.kwNodes.get('dtype') ?? null;
    if (dtNode) {
      const dt = this.L.text(dtNode);
      return /bool/.test(dt) ? 'bool' : /int/.test(dt) ? 'int' : /float|double|half|bfloat/.test(dt) ? 'float' : null;
    }
    const a = args.posNodes[0];
    if (!a || args.posNodes.length > 1) return null;
    const text = this.L.text(a);
    return /\d/.test(text) && /^[\s[\](),+\-\d]+$/.test(text) ? 'int' : null;
  }

  /**
   * The visible shape of a TensorFlow operation's result: a reduction over all axes is a scalar; a softmax
   * cross-entropy reduces the class (last) axis of its logits. Null when not known.
   */
  /**
   * A norm of a derivative over some axes: `tf.norm(g, axis=1)`, `tf.reduce_sum(tf.square(g), axis=[1, 2])`
   * (TF1's `reduction_indices`), `K.sum(K.square(g), axis=1)`; recorded for the penalty-norm rule (AGL018) with
   * every axis named. Only a sum of squares or a norm, the shapes a gradient penalty's norm is written in.
   */
  private noteReduction(q: string, name: string, args: Args, node: PyNode, frame: Frame): void {
    const norm = name === 'norm' || name === 'euclidean_norm' || name === 'reduce_euclidean_norm';
    const sum = name === 'reduce_sum' || q === 'tensorflow.keras.backend.sum';
    if (!norm && !sum) return;
    const axisNode = args.kwNodes.get('axis') ?? args.kwNodes.get('reduction_indices') ?? args.posNodes[name === 'norm' ? 2 : 1];
    // Written out as integers (`1`, `[1, 2]`, `(-2, -1)`): read from the text, where a negative axis keeps its sign.
    const written = axisNode ? /^[[(]?\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*,?\s*[\])]?$/.exec(this.L.text(axisNode)) : null;
    const axes = written ? written[1].split(',').map((x) => Number(x.trim())) : null;
    if (!axes || axes.length === 0) return;
    const arg = args.posNodes[0] ? unparen(args.posNodes[0]) : null;
    // A sum must be of the derivative's squares: `tf.square(g)`, `g ** 2`, `g * g` (elementwise: same rank).
    if (sum && !(arg && isSquare(arg, (n) => this.L.text(n)))) return;
    if (args.pos[0]) this.L.noteNorm(args.pos[0], axes[0], node, frame, axes);
  }

  /**
   * The dims of a `shape` argument (`[None, 28, 28, 1]`, `(B, H, W, C)`, `[bs] + image_dims`): as many axes as it has
   * entries, a size where an entry is a literal (a negative one, `-1`, is unknown). The first axis is the batch's
   * and is left unknown: a shape written for one batch (`tf.zeros((4, 2))`) does not make a batch of outputs a
   * fixed-size target.
   */
  private shapeOf(args: Args, kw: string, pos: number): TensorFacts['dims'] {
    const n = args.kwNodes.get(kw) ?? args.posNodes[pos];
    const v = args.kw.get(kw) ?? args.pos[pos];
    const u = n ? unparen(n) : null;
    let dims = shapeArg(v);
    if (u && (u.type === 'list' || u.type === 'tuple')) {
      const entries = namedChildren(u);
      if (dims && dims.length === entries.length) dims = dims.map((d, i) => (this.L.text(entries[i]).trim().startsWith('-') ? null : d));
    }
    return dims && dims.length > 0 ? [null, ...dims.slice(1)] : dims;
  }

  private resultDims(name: string, args: Args): TensorFacts['dims'] {
    // Elementwise functions of one tensor keep its shape.
    if (ELEMENTWISE.has(name)) return args.pos[0]?.t?.dims ?? null;
    // `tf.reshape(x, (B, H, W, C))`: as many axes as the shape written out has entries (sizes known or not).
    if (name === 'reshape') return this.shapeOf(args, 'shape', 1);
    // `tf.expand_dims(x, -1)`: an axis of size 1 inserted.
    if (name === 'expand_dims') return unsqueezedDims(args.pos[0]?.t?.dims ?? null, (args.kw.get('axis') ?? args.pos[1])?.lit);
    if (/^reduce_(?:sum|mean|prod|max|min|logsumexp|std|variance|euclidean_norm)$/.test(name)) {
      return args.pos.length <= 1 && !args.kw.has('axis') ? [] : null;
    }
    if (/^(?:sparse_)?softmax_cross_entropy_with_logits(?:_v2)?$/.test(name)) {
      const logits = args.kw.get('logits') ?? args.pos[1];
      const d = logits?.t?.dims ?? null;
      return d && d.length > 0 ? d.slice(0, -1) : null;
    }
    return null;
  }

  /** A TF operation: recorded by the tapes active here when an input is watched or a Variable. */
  op(parts: AV[], node: PyNode, env: Env, dims: TensorFacts['dims'] = null, extra: Partial<TensorFacts> = {}): AV {
    const base = combineTensors(parts.map((p) => p.t));
    const tracked = parts.some((p) => p.t && (p.t.variable || p.t.tapes.length > 0));
    // Zero data kept by elementwise functions that keep a 0 (`tf.square`) and by sums of all-zero data (`tf.reduce_sum`).
    const zeroData = 'zeroData' in extra ? {} : { zeroData: this.L.keptZeroData(node, parts[0]) };
    const t = tensorFacts({ ...base, ...extra, ...zeroData, tapes: tracked ? union(base.tapes, env.tapes) : base.tapes, dims, dtype: 'float' });
    return av({ kind: Kind.TENSOR, t, site: node.id });
  }

  method(receiver: AV, q: string, name: string, args: Args, node: PyNode, recvNode: PyNode, env: Env, frame: Frame): AV | null {
    if (q === 'tensorflow.GradientTape') {
      const id = receiver.obj ?? receiver.site;
      if (name === 'watch') {
        const x = args.pos[0] ?? UNKNOWN;
        const st = env.tapeStates.get(id) ?? { uses: [], watched: [] };
        env.tapeStates.set(id, { ...st, watched: union(st.watched, [node.id]) });
        // A watched tensor is a source of the tape: like a leaf, an origin that derivatives and cuts refer to.
        const watch = (n: PyNode, v: AV): void => {
          if (v.items && (n.type === 'list' || n.type === 'tuple')) {
            namedChildren(n).forEach((c, i) => v.items![i] && watch(c, v.items![i]));
            return;
          }
          // Watching something the analysis cannot follow (an attribute, a parameter) may watch any source.
          if (isKind(v, Kind.UNKNOWN) || v.t?.opaque) this.L.I.analysis.tapesWatchingUnknown.add(id);
          const t = v.t ?? tensorFacts({});
          // Whoever watches a tensor treats it as a plain tensor (a Variable needs no watch): no longer opaque.
          // A tensor that depended on no source and no Variable before the watch is a source of its own: affine in itself
          // (the derivative of an affine function of it is a constant, which an outer tape does not record).
          const fresh = !t.variable && !dependsOnInput(t) && t.params.length === 0 && t.tapes.length === 0 && !isKind(v, Kind.UNKNOWN);
          const watched = tensorFacts({ ...t, opaque: false, tapes: union(t.tapes, [id]), leafOf: t.leafOf ?? (t.variable ? null : node.id), ...(fresh ? { affine: true } : {}) });
          this.L.updateReceiver(n, av({ ...v, kind: v.kind | Kind.TENSOR, t: watched }), env, frame);
        };
        if (args.posNodes[0]) watch(unparen(args.posNodes[0]), x);
        return NONE;
      }
      const spec = TF_DERIVATIVES[`tensorflow.GradientTape.${name}`];
      if (spec) {
        const st = env.tapeStates.get(id) ?? { uses: [], watched: [] };
        // A non-persistent tape releases its resources at the first gradient call.
        if (st.uses.length > 0 && receiver.lit !== 'persistent' && receiver.lit !== 'unknown') {
          this.L.I.record('tapeReuses', { node, tape: id, earlier: st.uses, fn: frame.fn });
        }
        env.tapeStates.set(id, { ...st, uses: union(st.uses, [node.id]) });
        const r = this.L.derivative(`tensorflow.GradientTape.${name}`, spec, args, node, env, frame);
        const ev = this.L.I.analysis.events.derivatives.find((d) => d.node === node);
        if (ev) {
          ev.tape = id;
          // `batch_jacobian` asks for per-sample derivatives (row i of the target with respect to row i of the source).
          if (name === 'batch_jacobian') ev.perSample = true;
          // `tape.gradient(y, x)` of a target that is not a scalar differentiates the sum of its entries (the sum trick):
          // for the unreduced output of a model call (one row per sample), row i is meant as d y_i / d x_i.
          if (name === 'gradient' && this.isModelOutput(ev.output) && this.inputSources(ev.inputs)) ev.perSample = true;
        }
        return r;
      }
      if (name === 'stop_recording' || name === 'reset') return av({ kind: Kind.LIBINST, lib: ['tensorflow.tape-pause'], obj: id, site: node.id });
      return UNKNOWN;
    }
    if (q === 'tensorflow.optimizer' && name === 'apply_gradients') return NONE;
    if (name === 'add' && receiver.mod && /^tensorflow\.keras\.(?:models\.)?Sequential$/.test(q)) {
      // `model.add(layer)`: the Sequential gains the layer's weights and nonlinearity; its output width is the layer's.
      const layer = args.pos[0]?.mod ?? null;
      if (layer) this.L.updateReceiver(recvNode, av({ ...receiver, mod: { ...joinModule(receiver.mod, layer)!, outFeatures: layer.outFeatures } }), env, frame);
      return NONE;
    }
    if (receiver.mod || q.startsWith('tensorflow.keras.')) {
      if (name === 'predict' || name === 'predict_on_batch') {
        const r = this.L.moduleCall(receiver, args, node, env, frame);
        if (r.t) this.L.conversion(node, av({ ...r, t: tensorFacts({ ...r.t, tapes: union(r.t.tapes, env.tapes) }) }), '`model.predict(...)`');
        return av({ kind: Kind.ARRAY, t: r.t ? cutTensor(r.t, node.id) : null, site: node.id });
      }
      if (name === 'trainable_variables' || name === 'trainable_weights') return null;
    }
    return null;
  }

  /**
   * The unreduced output of a model call, one row per sample: a value made by a call the analysis recorded as a model call,
   * whose shape is not known to be a scalar.
   */
  private isModelOutput(v: AV): boolean {
    if (!v.t || v.site === null || v.site === undefined || (v.t.dims !== null && v.t.dims.length === 0)) return false;
    return this.L.I.analysis.events.modelCalls.some((c) => c.node.id === v.site && c.result.site === v.site);
  }

  /** Sources that are inputs (tensors, watched), not the model's Variables. */
  private inputSources(v: AV): boolean {
    const items = v.items && isKind(v, Kind.SEQ) ? v.items : [v];
    return items.length > 0 && items.every((x) => !!x.t && !x.t.variable && !isKind(x, Kind.UNKNOWN));
  }

  attribute(o: AV, q: string, name: string, node: PyNode): AV | null {
    if ((o.mod || q.startsWith('tensorflow.keras.')) && KERAS_WEIGHT_ATTRIBUTES.has(name)) {
      const weight = av({ kind: Kind.TENSOR, t: tensorFacts({ params: o.mod?.params.length ? o.mod.params : [o.site], variable: true, dtype: 'float' }), site: node.id });
      // A list of Variables, or one (`layer.kernel`).
      return name === 'trainable_variables' || name === 'trainable_weights' || name === 'weights' || name === 'variables' ? seq(null, weight, node.id) : weight;
    }
    // A Keras model's symbolic input and output (graph mode, `K.gradients(model.output, model.input)`): the input is
    // the source derivatives are taken against; the output is as nonlinear as the model.
    // (Opaque: a tape that watches it may be watching anything, as before.)
    if (o.mod && name === 'input') return av({ kind: Kind.TENSOR, t: tensorFacts({ dtype: 'float', leafOf: o.site, opaque: true }), site: node.id });
    if (o.mod && name === 'output') {
      return av({ kind: Kind.TENSOR, t: tensorFacts({ dtype: 'float', leaves: [o.site], params: o.mod.params, pwl: o.mod.pwl, curved: o.mod.curved }), site: node.id });
    }
    if (name === 'inputs' || name === 'outputs') return av({ kind: Kind.TENSOR, t: tensorFacts({ dtype: 'float' }), site: node.id });
    return null;
  }

  /** `tf.custom_gradient(f)` (or the decorator): a function whose calls give the first item of what `f` returns. */
  customGradient(fn: AV): AV {
    return av({ kind: Kind.LIBINST, lib: ['tensorflow.custom_gradient'], elem: fn, site: fn.site });
  }

  callInstance(callee: AV, q: string, args: Args, node: PyNode, env: Env, frame: Frame): AV | null {
    if (q === 'tensorflow.loss') return this.op(args.pos, node, env, []);
    if (q === 'tensorflow.custom_gradient' && callee.elem) {
      const r = this.L.invoke(callee.elem, args, node, env, frame);
      const out = r.items && r.items.length > 0 ? r.items[0] : r.elem && isKind(r, Kind.SEQ) ? r.elem : r;
      // Its gradient is whatever the custom rule computes (a recorded function of the input): not that of an affine value.
      return out.t?.affine ? av({ ...out, t: tensorFacts({ ...out.t, affine: false }) }) : out;
    }
    const gf = TF_GRADIENT_FUNCTIONS[q];
    if (gf && callee.elem) {
      // Called on its arguments (converted to tensors: a list of numbers has the list's shape): the gradients
      // of `f` with respect to each, as a list.
      const ins = args.pos.map((a) => (a.t || !a.items ? a : tensor({ dims: literalShape(a), dtype: 'float' }, a.site)));
      const synth = positionalArgs([callee.elem, seq(ins, undefined, node.id)]);
      return this.L.derivative(q, gf, synth, node, env, frame);
    }
    if (q === 'tensorflow.keras.layers.Lambda' && callee.elem && !isKind(callee.elem, Kind.UNKNOWN)) {
      const kw = new Map(callee.keys ?? []);
      return this.L.invoke(callee.elem, { pos: args.pos.slice(0, 1), posNodes: args.posNodes.slice(0, 1), kw, kwNodes: new Map(), star: false, dstar: false }, node, env, frame);
    }
    if (callee.mod) {
      // Keras layers run in inference mode unless called with `training=True` (or inside `fit`): BatchNormalization
      // then uses its moving statistics and couples nothing (https://keras.io/api/layers/normalization_layers/batch_normalization/).
      const training = args.kw.get('training')?.lit;
      const inference = training !== true;
      if (inference) this.L.evalDepth++;
      let r: AV;
      try {
        r = this.L.moduleCall(callee, { ...args, kw: new Map([...args.kw].filter(([k]) => k !== 'training')), kwNodes: new Map([...args.kwNodes].filter(([k]) => k !== 'training')) }, node, env, frame);
      } finally {
        if (inference) this.L.evalDepth--;
      }
      if (!r.t) return r;
      // A layer's smooth activation counts even where its input is a symbolic `Input` (functional models);
      // a layer with weights but no visible output width gives an output of unknown width.
      const mod = callee.mod;
      return av({ ...r, t: tensorFacts({ ...r.t, tapes: union(r.t.tapes, env.tapes), curved: union(r.t.curved, mod.curved), dims: mod.params.length > 0 && mod.outFeatures === null ? null : r.t.dims }) });
    }
    return null;
  }

  /** Keras losses whose entry analysis (unknown arguments) is done: analysed again as Keras calls them. */
  private readonly kerasLossQueue: PyNode[] = [];

  afterFunction(def: PyNode, entry: boolean): void {
    if (entry && def.type === 'function_definition' && this.kerasLossShape(def)) this.kerasLossQueue.push(def);
  }

  /**
   * A Keras loss: a plain function with a prediction parameter second, passed to `compile(loss=...)` or
   * named as a loss and computed with TensorFlow. Returns the `compile` call (or null when it is the name
   * that says so), or undefined when it is not one.
   */
  private kerasLossShape(def: PyNode): { compile: PyNode | null } | undefined {
    const m = this.L.I.model;
    const info = m.functionOf(def);
    if (!info) return undefined;
    // A method (`def custom_loss(self, y_true, y_pred)`, given as `compile(loss=self.custom_loss)`, or quoted without its
    // class): Keras calls the bound method with the two arguments after `self`. A static or class method is left alone.
    const params = info.isMethod || info.params[0]?.name === 'self' ? this.boundParams(info) : info.params;
    if (!params || params.length < 2) return undefined;
    const [p0, p1, ...rest] = params;
    if (p0.param?.star !== 'none' || p1.param?.star !== 'none') return undefined;
    // Keras passes two arguments: any further parameter needs a default.
    if (rest.some((p) => p.param?.star === 'none' && !/default_parameter$/.test(p.target.parent?.type ?? ''))) return undefined;
    // The file's `compile` calls and TensorFlow calls, listed once (not scanned per function: quadratic).
    this.callLists ??= {
      compiles: m.calls.filter((c) => c.method === 'compile'),
      tfStarts: m.calls
        .filter((c) => (c.qname ?? '').startsWith('tensorflow.'))
        .map((c) => ({ start: c.node.start, end: c.node.end }))
        .sort((x, y) => x.start - y.start),
    };
    const compile = this.callLists.compiles.find((c) => {
      const loss = c.keywords.get('loss') ?? c.positional[1];
      if (!loss) return false;
      const names = unparen(loss).type === 'identifier' || unparen(loss).type === 'attribute' ? [unparen(loss)] : namedChildren(unparen(loss)).flatMap((x) => (x.type === 'pair' ? [field(x, 'value')!] : [x]));
      return names.some((n) => {
        if (!n) return false;
        if (info.isMethod) {
          // `loss=self.custom_loss` inside the class that defines it.
          const obj = n.type === 'attribute' ? field(n, 'object') : null;
          const attr = n.type === 'attribute' ? field(n, 'attribute') : null;
          return !!obj && !!attr && obj.type === 'identifier' && m.textOf(obj) === 'self' && m.textOf(attr) === info.name && enclosingClass(def) === enclosingClass(n);
        }
        return n.type === 'identifier' && m.textOf(n) === info.name && m.reachingBindings(n).some((b) => b.kind === 'def' && b.stmt === def);
      });
    });
    if (compile) return { compile: compile.node };
    // `call(self, y_true, y_pred)` of a `tf.keras.losses.Loss` subclass is the loss Keras calls.
    if (info.isMethod && info.name === 'call' && this.isKerasLossClass(enclosingClass(def))) return { compile: null };
    if (!(LOSS_FUNCTION_NAME.test(info.name) || this.returnedByLossFactory(def, info.name)) || !PREDICTION_PARAM.test(p1.name)) return undefined;
    // A TensorFlow call inside the function: the first one starting at or after it.
    const tf = this.callLists.tfStarts;
    let lo = 0;
    let hi = tf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tf[mid].start < def.start) lo = mid + 1;
      else hi = mid;
    }
    let usesTf = false;
    for (let i = lo; i < tf.length && tf[i].start <= def.end && !usesTf; i++) usesTf = tf[i].end <= def.end;
    return usesTf ? { compile: null } : undefined;
  }
  private callLists: { compiles: CallInfo[]; tfStarts: { start: number; end: number }[] } | null = null;

  /** A plain method's parameters after `self` (null for a static or class method, or one without `self`). */
  private boundParams(info: FunctionInfo): FunctionInfo['params'] | null {
    if (info.decorators.some((d) => /staticmethod|classmethod/.test(d))) return null;
    if (info.params[0]?.name !== 'self') return null;
    return info.params.slice(1);
  }

  /** A class deriving (directly or through the file's classes) from `tf.keras.losses.Loss`. */
  private isKerasLossClass(cls: PyNode | null): boolean {
    const ref = cls ? [...this.L.I.analysis.classes.values()].find((c) => c.node === cls) : undefined;
    const bases = (c: ClassRef, depth: number): string[] => (depth > 5 ? [] : [...c.libBases, ...c.bases.flatMap((b) => bases(b, depth + 1))]);
    return !!ref && bases(ref, 0).some((q) => q === 'tensorflow.keras.losses.Loss');
  }

  /** An instance of the class that defines the method `def` (unknown when the class is not known). */
  private selfOf(def: PyNode): AV {
    const cls = enclosingClass(def);
    const ref = cls ? [...this.L.I.analysis.classes.values()].find((c) => c.node === cls) : undefined;
    return ref ? this.L.I.instanceOf(ref) : UNKNOWN;
  }

  /**
   * A function defined in and returned by a function named like a loss: the Keras loss factory
   * (`def custom_loss(k): def rhos(y_true, y_pred): ...; return rhos`), whose inner function is the loss.
   */
  private returnedByLossFactory(def: PyNode, name: string): boolean {
    const outer = def.parent?.type === 'block' ? def.parent.parent : null;
    if (!outer || outer.type !== 'function_definition') return false;
    const outerName = field(outer, 'name');
    if (!outerName || !LOSS_FUNCTION_NAME.test(this.L.I.model.textOf(outerName))) return false;
    const body = field(outer, 'body');
    return !!body && namedChildren(body).some((st) => {
      if (st.type !== 'return_statement') return false;
      const v = namedChildren(st)[0];
      return !!v && unparen(v).type === 'identifier' && this.L.I.model.textOf(unparen(v)) === name;
    });
  }

  afterEntries(env: Env, frame: Frame): void {
    for (const def of this.kerasLossQueue.splice(0)) {
      const shape = this.kerasLossShape(def);
      const info = this.L.I.model.functionOf(def);
      const nameNode = field(def, 'name');
      if (!shape || !info || !nameNode) continue;
      const [p0, p1] = (info.isMethod || info.params[0]?.name === 'self' ? this.boundParams(info) : info.params) ?? [];
      if (!p0 || !p1) continue;
      // Keras calls `loss(y_true, y_pred)`: the targets are data; the prediction depends on every trainable weight.
      const yTrue = tensor({ dtype: 'float' }, p0.target.id);
      const yPred = tensor({ params: [p1.target.id], dtype: 'float' }, p1.target.id);
      // A method quoted without its class takes `self` as its first positional argument.
      const unbound = !info.isMethod && info.params[0]?.name === 'self';
      const self = info.isMethod ? this.selfOf(def) : null;
      const result = this.L.I.callFunction({ node: def, self }, unbound ? [UNKNOWN, yTrue, yPred] : [yTrue, yPred], new Map(), env, { ...frame, returns: BOTTOM, loops: [] }, def);
      let modelValue: AV | null = null;
      if (shape.compile) {
        const recv = this.L.I.model.call(shape.compile)?.receiver;
        modelValue = recv ? (this.L.I.analysis.valueOf(recv) ?? null) : null;
      }
      this.L.I.record('kerasLosses', { node: nameNode, fn: def, yPred: p1.target.id, result, compile: shape.compile, model: modelValue });
    }
  }

  enterContext(cm: AV, expr: PyNode, env: Env): { value: AV; exit?: () => void } | null {
    if (isKind(cm, Kind.LIBINST) && cm.lib.includes('tensorflow.GradientTape')) {
      const id = cm.obj ?? cm.site;
      env.tapes = union(env.tapes, [id]);
      if (!env.tapeStates.has(id)) env.tapeStates.set(id, { uses: [], watched: [] });
      void expr;
      return { value: cm };
    }
    if (isKind(cm, Kind.LIBINST) && cm.lib.includes('tensorflow.tape-pause')) {
      const id = cm.obj ?? -1;
      const saved = env.tapes;
      env.tapes = env.tapes.filter((x) => x !== id);
      return { value: NONE, exit: () => void (env.tapes = saved) };
    }
    return null;
  }
}

/** The trainable sites the outputs of a functional model depend on (one output or a list). */
function tensorOfOutputs(v: AV): number[] {
  const parts = v.items ?? (v.elem && !v.t ? [v.elem] : [v]);
  return parts.reduce<number[]>((acc, p) => [...union(acc, p.t?.params ?? [])], []);
}

function asItems(v: AV): AV[] | null {
  return v.items ? [...v.items] : null;
}

/**
 * Whether a Keras `activation` is piecewise linear ('pwl'), curved, or none (`None`, 'linear'). A name or
 * function not known counts as curved: the model is then not reported.
 */
/** A square written as `tf.square(g)`, `K.square(g)`, `g ** 2` or `g * g`. */
function isSquare(n: PyNode, text: (n: PyNode) => string): boolean {
  if (n.type === 'call') {
    const fn = field(n, 'function');
    return !!fn && /(?:^|\.)square$/.test(text(fn));
  }
  if (n.type !== 'binary_operator') return false;
  const l = field(n, 'left');
  const r = field(n, 'right');
  const op = n.children.find((c) => c.field === 'operator');
  if (!l || !r || !op) return false;
  return (text(op) === '**' && text(r) === '2') || (text(op) === '*' && text(l) === text(r));
}

/** Elementwise TensorFlow functions (by last name) whose result keeps its argument's shape (the square of a penalty's sum of squares). */
const ELEMENTWISE = new Set(['square']);

/** TensorFlow calls that make a new tensor of the `shape` they are given (first argument or `shape=`). */
const SHAPED_CONSTANTS = new Set([
  'tensorflow.zeros', 'tensorflow.ones', 'tensorflow.random.uniform', 'tensorflow.random.normal', 'tensorflow.random_uniform', 'tensorflow.random_normal',
  'tensorflow.compat.v1.random_uniform', 'tensorflow.compat.v1.random_normal', 'tensorflow.keras.backend.random_uniform', 'tensorflow.keras.backend.random_normal',
]);

function activationShape(act: AV): 'pwl' | 'curved' | null {
  if (isKind(act, Kind.NONE)) return null;
  if (typeof act.lit === 'string') return act.lit === 'linear' ? null : KERAS_PIECEWISE_LINEAR.has(act.lit) ? 'pwl' : 'curved';
  if (isKind(act, Kind.LIB) && act.lib.length > 0) {
    return act.lib.every((q) => TF_PIECEWISE_LINEAR.has(q) || KERAS_PIECEWISE_LINEAR.has(q.slice(q.lastIndexOf('.') + 1))) ? 'pwl' : 'curved';
  }
  return 'curved';
}

/** The nearest class definition around a node (through its methods), or null. */
function enclosingClass(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return null;
}
