import numpy as np

from keras import backend as K
from keras.layers import *
from keras.models import Model

def binarize(d):
    x1, x2 = d
    return x1 * K.cast(K.random_uniform(shape=K.shape(x2)) <= x2, 'float32')

inp = Input((1,))
var = Dense(1, activation='sigmoid')(inp)
out = Lambda(binarize)([inp, var])

model = Model(inp, out)
model.compile(loss='mse', optimizer='sgd')

x = np.random.normal(size=(128, 1))
y = x >= 0
model.train_on_batch(x, y)
