import tensorflow as tf

layer = tf.keras.layers.Conv2D(1, 3, activation='relu', padding="same")
x = tf.random.normal([2,7, 7,1])
xx = tf.random.normal([2,7, 7,1])

with tf.GradientTape(persistent=True) as tape1:
    tape1.watch(x)
    y1 = layer(x)
    y2 = layer(y1)
    tape1.watch(y2)
    loss=tf.keras.losses.MeanSquaredError()(y2,xx)

j1=tape1.jacobian(y2,x)
[g_x,g_y2]=tape1.gradient(loss,[x,y2])
j1_vec=tf.reshape(j1,[x.shape[0]*x.shape[1]*x.shape[2]*x.shape[3],
                     y2.shape[0]*y2.shape[1]*y2.shape[2]*y2.shape[3]])
g_y2_vec=tf.reshape(g_y2,[y2.shape[0]*y2.shape[1]*y2.shape[2]*y2.shape[3],1])
