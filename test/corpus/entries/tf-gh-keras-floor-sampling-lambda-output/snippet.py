def FloorSampling(x):
    """Returns a tensor which is only consist of several 1 and several 0.
    This function can be used when the target we want to predict is an opreation.
    Such as press 1~N piano keys in one time.Pianos have 88 keys,if we want
    to code this opreation as an one-hot vector,the vector will has a dimession of
    88^N.
    By using this function in the outputlayer,the target vector like [1,0,1,1,0,...,1,0]"""
    return tf.floor(x + tf.random_uniform(tf.shape(x), 0, 1))

add(Lambda(K.FloorSampling,output_shape=lambda x:x))
