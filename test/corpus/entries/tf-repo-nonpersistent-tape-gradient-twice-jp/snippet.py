# これはエラーになる
# .gradientが一度呼ばれるとGradientTapeは解放される
x = tf.ones(shape=(2, 2))

with tf.GradientTape() as t:
    t.watch(x)
    y = tf.reduce_sum(x)
    z = tf.multiply(y, y)

dz_dx = t.gradient(z, x)
dz_dy = t.gradient(z, y)
