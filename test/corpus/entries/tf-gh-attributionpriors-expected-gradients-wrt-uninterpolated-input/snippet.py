import tensorflow as tf
import numpy as np


def expected_gradients_full(inputs, references, model, k=100, index_true_class=False, labels=None):
    eg_array = []

    for i in range(tf.shape(inputs)[0]):
        sample_indices = np.random.choice(references.shape[0], size=k, replace=False)
        sample_references = references[sample_indices]
    
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            
            alphas = tf.random.uniform(shape=(k, 1, 1, 1), minval=0.0, maxval=1.0, dtype=tf.float32)
            current_input  = tf.expand_dims(inputs[i], axis=0)
            
            interpolated_inputs = alphas * current_input + (1.0 - alphas) * sample_references
            predictions = model(interpolated_inputs, training=False)
            
            if index_true_class:
                current_labels = tf.expand_dims(labels[i, :], axis=0)
                current_labels = tf.tile(current_labels, multiples=(k, 1))
                predictions_indexed = _index_predictions(predictions, current_labels)
            else:
                predictions_indexed = predictions
                
        input_gradients = tape.gradient(predictions_indexed, current_input)
        difference_from_reference = current_input - sample_references
        expected_gradients_samples = input_gradients * difference_from_reference
        expected_gradients = tf.reduce_mean(expected_gradients_samples, axis=0)
        eg_array.append(expected_gradients)
    
    return tf.stack(eg_array, axis=0)
