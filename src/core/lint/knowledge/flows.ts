/**
 * Normalizing flows and bijections: which method of a flow layer computes which direction, and how a direction is chosen
 * by a keyword. Names from PyTorch flow libraries (normflows, nflows, pytorch-flows, FrEIA, Glow ports, zuko's
 * `call_and_ladj`), JAX ones (flowjax, distrax: `forward_and_log_det`, `inverse_and_log_det`) and TFP/Pyro's bijectors
 * (`forward`, `inverse`). Each such method returns the transformed value with the log|det J| of the direction it
 * computes: the inverse's log-determinant is minus the forward's at the corresponding point.
 */

/**
 * A method that computes the forward direction and returns `(value, log|det J|)`, by a name that says so (distrax's and
 * normflows' `forward_and_log_det`, flowjax's `transform_and_log_det`, zuko's `call_and_ladj`). Plain `forward` and
 * `inverse` are not: libraries disagree on which direction they mean (normflows' `forward` samples, nflows' `forward`
 * evaluates the density) and on what the second item is (a log-determinant, a log-density).
 */
export const FLOW_FORWARD_LOG_DET_METHOD = /^_?(?:forward|transform)_and_(?:log_?det|ldj)$|^_?call_and_ladj$/;

/** A method that computes the inverse direction with its log-determinant, by its name. */
export const FLOW_INVERSE_LOG_DET_METHOD = /^_?inverse_and_(?:log_?det|ldj)$/;

/** A layer of a composition (an item of the flow's own list of layers) run forward, or backward, by a plain method. */
export const FLOW_LAYER_FORWARD_METHOD = /^_?forward$/;
export const FLOW_LAYER_INVERSE_METHOD = /^_?(?:inverse|reverse)$/;

/** Keywords by which one method computes either direction (`layer(z, reverse=True)`, `mode='inverse'`). */
export const FLOW_DIRECTION_KEYWORD = /^(?:reverse|inverse|rev|mode|direction|invert)$/;

/** Literal values of `mode=`/`direction=` that name the inverse direction, and the forward one. */
export const FLOW_INVERSE_MODE = /^(?:inverse|reverse|backward|inv|rev|sample|generate)$/;
export const FLOW_FORWARD_MODE = /^(?:forward|direct|fwd|density|encode)$/;

/** Reductions and reshapes that keep a log-determinant's sign (`ld.sum(-1)`, `torch.sum(ld, dim=1)`, `ld.view(-1)`). */
export const SIGN_PRESERVING_METHOD = /^(?:sum|reshape|view|squeeze|unsqueeze|flatten|to|type|float|double|contiguous|expand|expand_as|reshape_as|view_as)$/;
export const SIGN_PRESERVING_FUNCTION = /^(?:torch|jax\.numpy|numpy|tensorflow|tensorflow\.math)\.(?:sum|reduce_sum|reshape|squeeze|expand_dims|unsqueeze|flatten|ravel)$/;
