/**
 * The rule registry: one import and one array entry per rule, sorted by code.
 * Adding a rule: create `AGLnnn-<name>.ts` exporting a `Rule`, add its two lines here, run
 * `npx tsx scripts/gen-rule-docs.ts`. See docs/writing-rules.md.
 */
import type { Rule } from '../rule';
import { AGL001 } from './AGL001-derivative-without-graph';
import { AGL002 } from './AGL002-graph-cut';
import { AGL003 } from './AGL003-normalized-input-derivative';
import { AGL004 } from './AGL004-accumulating-gradients';
import { AGL005 } from './AGL005-non-scalar-derivative';
import { AGL006 } from './AGL006-tape-unwatched-source';
import { AGL007 } from './AGL007-tape-reused';
import { AGL008 } from './AGL008-tape-vector-target';
import { AGL009 } from './AGL009-derivative-with-recording-off';
import { AGL010 } from './AGL010-relu-higher-derivative';
import { AGL011 } from './AGL011-batch-coupling-layer';
import { AGL012 } from './AGL012-integer-requires-grad';
import { AGL013 } from './AGL013-inplace-on-leaf';
import { AGL014 } from './AGL014-grad-of-non-leaf';
import { AGL015 } from './AGL015-jax-grad-non-scalar';
import { AGL016 } from './AGL016-jax-vmap-of-call';
import { AGL017 } from './AGL017-nan-gradient-where';
import { AGL018 } from './AGL018-penalty-norm-axis';
import { AGL019 } from './AGL019-graph-reused';
import { AGL020 } from './AGL020-inplace-on-saved-tensor';
import { AGL021 } from './AGL021-graph-mode-gradients-in-eager';
import { AGL022 } from './AGL022-squared-norm-at-zero';
import { AGL023 } from './AGL023-wrong-derivative-target';
import { AGL024 } from './AGL024-input-not-in-graph';
import { AGL025 } from './AGL025-penalty-not-trained';
import { AGL026 } from './AGL026-no-double-backward';
import { AGL027 } from './AGL027-penalty-interpolation-per-element';
import { AGL040 } from './AGL040-deepxde-derivative-index';
import { AGL041 } from './AGL041-create-graph-frees-graph';
import { AGL042 } from './AGL042-requires-grad-on-non-leaf';
import { AGL043 } from './AGL043-load-state-dict-drops-graph';
import { AGL044 } from './AGL044-penalty-through-frozen-critic';
import { AGL045 } from './AGL045-derivative-wrt-unread-argument';
import { AGL046 } from './AGL046-derivative-of-constant-derivative';
import { AGL047 } from './AGL047-vmap-sample-dim';
import { AGL048 } from './AGL048-none-gradient-fallback';
import { AGL049 } from './AGL049-jax-has-aux-not-pair';
import { AGL050 } from './AGL050-jax-forward-mode-of-custom-vjp';
import { AGL051 } from './AGL051-jax-jit-stale-closure';
import { AGL052 } from './AGL052-jax-numpy-on-tracer';
import { AGL053 } from './AGL053-custom-rule-not-higher-order';
import { AGL055 } from './AGL055-inference-tensor-in-autograd';
import { AGL056 } from './AGL056-penalty-norm-over-batch';
import { AGL057 } from './AGL057-custom-rule-primal-of-other-function';
import { AGL058 } from './AGL058-jax-python-control-flow-on-tracer';
import { AGL059 } from './AGL059-keras-weights-combined-outside-call';
import { AGL062 } from './AGL062-jax-custom-vjp-rule-structure';
import { AGL067 } from './AGL067-inputs-on-a-curve';
import { AGL070 } from './AGL070-gradient-overwritten-before-use';
import { AGL071 } from './AGL071-autograd-api-under-functorch-transform';
import { AGL072 } from './AGL072-jax-custom-rule-wrong-derivative';
import { AGL073 } from './AGL073-equinox-filter-grad-non-array';
import { AGL074 } from './AGL074-flag-argument-in-wrong-position';
import { AGL075 } from './AGL075-custom-backward-gradients';
import { AGL076 } from './AGL076-optimizer-of-other-model';
import { AGL077 } from './AGL077-loss-module-constructed-with-data';
import { AGL078 } from './AGL078-broadcast-couples-samples';
import { AGL079 } from './AGL079-loop-axis-mismatch';
import { AGL080 } from './AGL080-inplace-detach-of-argument';
import { AGL081 } from './AGL081-inplace-on-split-view';
import { AGL082 } from './AGL082-grad-of-container';
import { AGL083 } from './AGL083-iterator-consumed-twice';
import { AGL084 } from './AGL084-keras-loss-signature';
import { AGL085 } from './AGL085-optimizer-step-out-of-order';
import { AGL086 } from './AGL086-gradients-paired-with-wrong-variables';
import { AGL089 } from './AGL089-flow-log-det-direction';
import { AGL087 } from './AGL087-baseline-not-detached';
import { AGL088 } from './AGL088-stopped-loss-term';
import { AGL091 } from './AGL091-path-gradient-without-input-delta';
import { AGL092 } from './AGL092-attack-step-raw-gradient';
import { AGL102 } from './AGL102-accumulated-loss-not-averaged';
import { AGL103 } from './AGL103-gradients-never-zeroed';
import { AGL104 } from './AGL104-leaf-rebound-by-update';
import { AGL110 } from './AGL110-jax-grad-unpacked-as-value-and-grad';
import { AGL111 } from './AGL111-function-transform-of-tensor';
import { AGL112 } from './AGL112-backward-of-frozen-model';
import { AGL113 } from './AGL113-accumulator-random-init';
import { AGL114 } from './AGL114-optimizer-never-stepped';
import { AGL116 } from './AGL116-jax-reverse-mode-through-while-loop';
import { AGL117 } from './AGL117-loss-marked-requires-grad';
import { AGL120 } from './AGL120-td-target-not-detached';
import { AGL126 } from './AGL126-optax-state-over-non-array-leaves';
import { AGL093 } from './AGL093-graph-kept-in-running-total';
import { AGL097 } from './AGL097-non-full-backward-hook-grad-input';
import { AGL099 } from './AGL099-root-at-reachable-zero';
import { AGL108 } from './AGL108-python-math-on-tensor';
import { AGL109 } from './AGL109-softmax-over-one-unit';
import { AGL095 } from './AGL095-out-of-place-result-discarded';
import { AGL106 } from './AGL106-straight-through-without-stop';
import { AGL107 } from './AGL107-loss-term-on-straight-through-output';

export const ALL_RULES: readonly Rule[] = [
  AGL001,
  AGL002,
  AGL003,
  AGL004,
  AGL005,
  AGL006,
  AGL007,
  AGL008,
  AGL009,
  AGL010,
  AGL011,
  AGL012,
  AGL013,
  AGL014,
  AGL015,
  AGL016,
  AGL017,
  AGL018,
  AGL019,
  AGL020,
  AGL021,
  AGL022,
  AGL023,
  AGL024,
  AGL025,
  AGL026,
  AGL027,
  AGL040,
  AGL041,
  AGL042,
  AGL043,
  AGL044,
  AGL045,
  AGL046,
  AGL047,
  AGL048,
  AGL049,
  AGL050,
  AGL051,
  AGL052,
  AGL053,
  AGL055,
  AGL056,
  AGL057,
  AGL058,
  AGL059,
  AGL062,
  AGL067,
  AGL070,
  AGL071,
  AGL072,
  AGL073,
  AGL074,
  AGL075,
  AGL076,
  AGL077,
  AGL078,
  AGL079,
  AGL080,
  AGL081,
  AGL082,
  AGL083,
  AGL084,
  AGL085,
  AGL086,
  AGL089,
  AGL087,
  AGL088,
  AGL091,
  AGL092,
  AGL102,
  AGL103,
  AGL104,
  AGL110,
  AGL111,
  AGL112,
  AGL113,
  AGL114,
  AGL116,
  AGL117,
  AGL120,
  AGL126,
  AGL093,
  AGL097,
  AGL099,
  AGL095,
  AGL108,
  AGL109,
  AGL106,
  AGL107,
].sort((a, b) => a.meta.code.localeCompare(b.meta.code));
