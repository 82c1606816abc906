import tensorflow as tf
x=tf.constant([3.0,4.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    u1=x[0]**2+x[1]**2
    u2=x[0]**2
    u3=x[1]**3
    u=tf.stack([u1,u2,u3])
J = tape.jacobian(u, x)
print(J)
'''
tf.Tensor(
[[ 6. 8.]
[ 6. 0.]
[ 0. 48.]], shape=(3, 2), dtype=float32)
'''
