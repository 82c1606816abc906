action = tf.to_int32(tf.multinomial(logits=scores, num_samples=1))  # [B, 1]

# loss
# 5a.
label_action =  tf.squeeze(action, axis=1)
loss = tf.nn.sparse_softmax_cross_entropy_with_logits(logits=scores, labels=label_action)  # [B,]
