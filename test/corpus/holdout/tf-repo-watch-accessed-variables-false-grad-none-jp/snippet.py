# dy_daはNoneになるので注意
a = tf.Variable(2.0)
b = tf.Variable(3.0)
c = tf.Variable(1.0)

with tf.GradientTape(watch_accessed_variables=False) as t:
    t.watch([b, c])
    y = a**2 + b * c

dy_da, dy_db, dy_dc = t.gradient(y, [a, b, c])

print(dy_da)
print(dy_db)
print(dy_dc)
