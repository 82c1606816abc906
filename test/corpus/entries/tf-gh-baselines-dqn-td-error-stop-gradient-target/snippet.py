# q network evaluation
q_t = q_func(obs_t_input.get(), num_actions, scope="q_func", reuse=True)  # reuse parameters from act
q_func_vars = U.scope_vars(U.absolute_scope_name("q_func"))

# target q network evalution
q_tp1 = q_func(obs_tp1_input.get(), num_actions, scope="target_q_func")
target_q_func_vars = U.scope_vars(U.absolute_scope_name("target_q_func"))

# q scores for actions which we know were selected in the given state.
q_t_selected = tf.reduce_sum(q_t * tf.one_hot(act_t_ph, num_actions), 1)

# compute estimate of best possible value starting from state at t + 1
if double_q:
    q_tp1_using_online_net = q_func(obs_tp1_input.get(), num_actions, scope="q_func", reuse=True)
    q_tp1_best_using_online_net = tf.arg_max(q_tp1_using_online_net, 1)
    q_tp1_best = tf.reduce_sum(q_tp1 * tf.one_hot(q_tp1_best_using_online_net, num_actions), 1)
else:
    q_tp1_best = tf.reduce_max(q_tp1, 1)
q_tp1_best_masked = (1.0 - done_mask_ph) * q_tp1_best

# compute RHS of bellman equation
q_t_selected_target = rew_t_ph + gamma * q_tp1_best_masked

# compute the error (potentially clipped)
td_error = q_t_selected - tf.stop_gradient(q_t_selected_target)
errors = U.huber_loss(td_error)
weighted_error = tf.reduce_mean(importance_weights_ph * errors)

# compute optimization op (potentially with gradient clipping)
if grad_norm_clipping is not None:
    optimize_expr = U.minimize_and_clip(optimizer,
                                        weighted_error,
                                        var_list=q_func_vars,
                                        clip_val=grad_norm_clipping)
else:
    optimize_expr = optimizer.minimize(weighted_error, var_list=q_func_vars)
