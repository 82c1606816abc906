"""
Core Module for Vanilla Gradients
"""
import tensorflow as tf

from tf_explain.utils.display import grid_display
from tf_explain.utils.image import transform_to_normalized_grayscale


class VanillaGradients:

    def explain(self, validation_data, model, class_index):
        score_model = self.get_score_model(model)
        return self.explain_score_model(validation_data, score_model, class_index)

    def get_score_model(self, model):
        activation_layer = model.layers[-1]
        output = activation_layer.input

        score_model = tf.keras.Model(inputs=model.inputs, outputs=output)
        return score_model

    def explain_score_model(self, validation_data, score_model, class_index):
        images, _ = validation_data

        gradients = self.compute_gradients(images, score_model, class_index)

        grayscale_gradients = transform_to_normalized_grayscale(
            tf.abs(gradients)
        ).numpy()

        grid = grid_display(grayscale_gradients)

        return grid

    @staticmethod
    @tf.function
    def compute_gradients(images, model, class_index):
        with tf.GradientTape() as tape:
            inputs = tf.cast(images, tf.float32)
            tape.watch(inputs)
            scores = model(inputs)
            scores_for_class = scores[:, class_index : class_index + 1]

        return tape.gradient(scores_for_class, inputs)
