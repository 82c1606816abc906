import tensorflow as tf

# 定义输入变量
x = tf.constant(3.0)

# 定义需要求导的函数
def f(x):
    return x**2

# 在tf.GradientTape()上下文中记录操作
with tf.GradientTape() as tape:
    # 计算函数值
    y = f(x)

# 计算关于x的导数
dy_dx = tape.gradient(y, x)
print(dy_dx)
