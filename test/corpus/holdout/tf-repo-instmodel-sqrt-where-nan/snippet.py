import tensorflow as tf
from keras import layers


class ActivationComputation(ComputationOp):
    """
    An activation operation that applies an activation function elementwise.
    For "RELU", "SIGMOID", "TANH", "SOFTMAX", "GELU", "SOFTPLUS", the native Keras Activation layer is used.
    For custom activations (e.g., "SQRT", "LOG", "LOG10", "INVERSE"), a layers.Lambda layer is created.

    The compile_instructions method creates an in-place activation instruction.
    """

    def __init__(self, activation, in_place=False, name: Optional[str] = None):
        super().__init__()
        self.in_place = in_place
        self.activation = activation.upper()
        self.name = name
        if self.activation in {"RELU", "SIGMOID", "TANH", "SOFTMAX", "GELU", "SOFTPLUS"}:
            self.keras_layer = tf.keras.layers.Activation(
                self.activation.lower(), name=name
            )
        elif self.activation == "SQRT":
            self.keras_layer = layers.Lambda(
                lambda x: tf.where(x > 0, tf.sqrt(x), tf.zeros_like(x)), name=name
            )
        elif self.activation == "LOG":
            self.keras_layer = layers.Lambda(
                lambda x: tf.math.log(tf.maximum(x, 0) + 1), name=name
            )
        elif self.activation == "LOG10":
            self.keras_layer = layers.Lambda(
                lambda x: tf.math.log(tf.maximum(x, 0) + 1) / tf.math.log(10.0),
                name=name,
            )
        elif self.activation == "INVERSE":
            self.keras_layer = layers.Lambda(lambda x: 1 - x, name=name)
        else:
            raise ValueError(f"Unexpected activation: {self.activation}")

    def __call__(self, inputs):
        if not isinstance(inputs, list):
            inputs = [inputs]
        y = self.keras_layer(inputs[0].tensor)
        return DataBuffer(y, op=self, inputs=inputs)
