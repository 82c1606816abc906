import tensorflow as tf

from tensorflow_addons.utils.resource_loader import LazySO

_embedding_bag_so = LazySO("custom_ops/layers/_embedding_bag_ops.so")


@tf.RegisterGradient("Addons>EmbeddingBag")
def _embedding_bag_grad(op, grads):
    indices, params, weights = op.inputs[:3]
    combiner = op.get_attr("combiner")
    value_grads, weight_grads = _embedding_bag_so.ops.addons_embedding_bag_grad(
        indices, params, weights, grads, combiner=combiner
    )
    return [None, value_grads, weight_grads]
