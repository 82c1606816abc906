x = tf.Variable(2.0)
y1 = x * x # y1 的计算在 tape 外部，未被录制

with tf.GradientTape() as tape:
  y2 = x + 1 # y2 的计算在 tape 内部，被录制

print(tape.gradient(y1, x)) # 输出 None，因为 y1 的计算未被追踪
print(tape.gradient(y2, x)) # 输出 tf.Tensor(1.0, ...)，因为 y2 的计算被追踪
