layer_dict = dict([(layer.name,layer) for layer in baseline_model.layers[1:]])
img_input = baseline_model.input
neuron_index = 1
layer_output = layer_dict['conv2d_171'].output
loss = keras.backend.mean(layer_output[:,neuron_index,:,:])
gradients = keras.backend.gradients(loss,img_input)[0]
gradients = tf.linalg.normalize(gradients)
iterate = keras.function([img_input],[loss,gradents])
