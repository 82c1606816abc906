import tensorflow as tf

class network():
    def __init__(self):
        self.learning_rate = 0.01
        self.x = tf.placeholder(tf.float32, [None, 784], name='x')
        self.y = tf.placeholder(tf.float32, [None, 10], name='y')
        self.w = tf.Variable(tf.random_uniform([784, 10],-1,1), name="weights")
        self.b = tf.Variable(tf.zeros([10]), name="bias")
        self.full_connect_layer = tf.add(tf.matmul(self.x, self.w), self.b)
        self.pred = tf.nn.softmax(self.full_connect_layer,name='y_pred')

    # tf算梯度更新
    def get_loss2(self):
        # 通过设置log前的最小值不让归0，防止出现 log(0) 未定义
        tf.clip_by_value(self.pred, 1e-15, 1.0)
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(self.y*tf.log(self.pred), reduction_indices=1)) 

        w_grad, b_grad=tf.gradients(cross_entropy,[self.w,self.b])

        new_w = self.w.assign(self.w - self.learning_rate * w_grad)
        new_b = self.b.assign(self.b - self.learning_rate * b_grad)
        optimizer=[new_w, new_b]
        return cross_entropy, optimizer

    # tf随机梯度下降
    def get_loss3(self):
        # 通过设置log前的最小值不让归0，防止出现 log(0) 未定义
        tf.clip_by_value(self.pred, 1e-15, 1.0)
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(self.y*tf.log(self.pred), reduction_indices=1)) 
        optimizer= tf.train.GradientDescentOptimizer(self.learning_rate).minimize(cross_entropy)
        return cross_entropy, optimizer
