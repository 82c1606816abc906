class PPOAgent(tf_agent.TFAgent):
  ...

  def value_estimation_loss(self,
                            time_steps,
                            returns,
                            weights,
                            debug_summaries=False,
                            training=False):
    batch_size = nest_utils.get_outer_shape(time_steps, self._time_step_spec)[0]
    value_state = self._collect_policy.get_initial_value_state(batch_size)

    value_preds, _ = self._collect_policy.apply_value_network(
        time_steps.observation,
        time_steps.step_type,
        value_state=value_state,
        training=training)
    value_estimation_error = tf.math.squared_difference(returns, value_preds)

    if self._value_clipping > 0:
      old_value_preds, _ = self._collect_policy.apply_value_network(
          time_steps.observation,
          time_steps.step_type,
          value_state=value_state,
          training=training)
      old_value_preds = tf.stop_gradient(old_value_preds)

      clipped_value_preds = old_value_preds + tf.clip_by_value(
          value_preds - old_value_preds, -self._value_clipping,
          self._value_clipping)
      clipped_value_estimation_error = tf.math.squared_difference(
          returns, clipped_value_preds)
      value_estimation_error = tf.maximum(value_estimation_error,
                                          clipped_value_estimation_error)

    value_estimation_error *= weights

    value_estimation_loss = (
        tf.reduce_mean(input_tensor=value_estimation_error) *
        self._value_pred_loss_coef)
    if self._check_numerics:
      value_estimation_loss = tf.debugging.check_numerics(
          value_estimation_loss, 'value_estimation_loss')

    return value_estimation_loss
