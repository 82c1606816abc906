class RandomWeightedAverage(Add):
    # Provides a (random) weighted average between real and generated image samples
    def _merge_function(self, inputs):
        input1, input2 = inputs
        alpha = K.random_uniform((K.shape(input1)[0], 1, 1, 1))
        return (alpha * input1) + ((1 - alpha) * input2)
