u = [u1,u2,p]
x = [x,y]
tf.gradients(u,x)
