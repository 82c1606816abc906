    for j in range(num_sample):
        img_index = np.random.randint(imgset.shape[0])
        for m in range(len(model.weights)):
            with tf.GradientTape() as tape:
                output = model(np.expand_dims(imgset[img_index], 0))
                tape.watch(model.weights[m])
                gradients = tape.gradient(K.log(output), model.weights[m])
                f_accum[m] += np.square(gradients)
    f_accum /= num_sample
