# 複数回.gradientを呼ぶ場合はpersistent=Trueとする
# リソースは手動で解放
x = tf.ones(shape=(2, 2))

with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = tf.reduce_sum(x)
    z = tf.multiply(y, y)

dz_dx = t.gradient(z, x)
dz_dy = t.gradient(z, y)

del t
