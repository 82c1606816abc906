import tensorflow as tf

# パラメータ
x = tf.Variable(2.0)
y = tf.Variable(3.0)

# 損失関数
loss = tf.square(x) + tf.square(y)

# 勾配を計算するために GradientTape を使用
with tf.GradientTape() as tape:
    # 損失関数を評価
    loss_value = loss()

# x と y の勾配を計算
grads = tape.gradient(loss_value, [x, y])
