def train_step(self):
    with tf.GradientTape() as tape:
        (
            _,
            rewards,
            actions,
            value_logits,
            dones,
            _,
            entropies,
            actor_logits,
        ) = tf.numpy_function(
            self.np_train_step, [], [tf.float32 for _ in range(8)]
        )
        action_probs = tf.nn.softmax(actor_logits)
        values = tf.reduce_sum(action_probs * value_logits, axis=-1)
        action_indices = self.get_action_indices(self.batch_indices, actions)
        selected_probs = tf.gather_nd(action_probs, action_indices)
        selected_logits = tf.gather_nd(value_logits, action_indices)
        importance_ratio = action_probs / (action_probs + self.epsilon)
        action_importance = tf.gather_nd(importance_ratio, action_indices)
        ...
