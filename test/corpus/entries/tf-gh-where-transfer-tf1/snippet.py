transfer = lambda x: tf.where(x < 0, 1./(1.-x), tf.log(x+1)) 

def f(x):
    xt = tf.placeholder(tf.float32, shape=(1,))
    yt  = transfer(xt)
    dydx = tf.gradients(ys=yt, xs=xt)[0]
    with tf.Session() as sess:
        rval = sess.run([xt, yt, dydx], feed_dict={xt:[x]})
    return rval

print(f(1.))  # [1, 2, nan]
print(f(-1.)) # [-1, 0.5, nan]
