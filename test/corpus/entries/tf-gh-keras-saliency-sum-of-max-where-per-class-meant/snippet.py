from keras import backend as K
import theano
def compile_saliency_function(model):
    """
    Compiles a function to compute the saliency maps and predicted classes
    for a given minibatch of input images.
    """
    inp = model.layers[0].input
    outp = model.layers[-1].output
    max_outp = K.T.max(outp, axis=1)
    saliency = K.gradients(K.sum(max_outp),inp)
    max_class = K.T.argmax(outp, axis=1)
    print(max_class)
    v1 = K.function([inp, K.learning_phase()], [saliency, max_class])
    return v1

v = compile_saliency_function(model)([X_train[:1], 0])[0]
print(v)
