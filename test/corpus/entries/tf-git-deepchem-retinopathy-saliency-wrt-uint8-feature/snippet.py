import numpy as np
import tensorflow as tf

from deepchem.models.tensorgraph.layers import Layer, Dense, SoftMax, Reshape, \
    SparseSoftMaxCrossEntropy, BatchNorm, Conv2D, MaxPool2D, WeightedError, \
    Dropout, ReLU, Stack, Flatten, ReduceMax, WeightDecay
from deepchem.models.tensorgraph.layers import L2Loss, Label, Weights, Feature
from deepchem.models.tensorgraph.tensor_graph import TensorGraph


class DRModel(TensorGraph):

  ...

  def build_graph(self):
    # inputs placeholder
    self.inputs = Feature(
        shape=(None, self.image_size, self.image_size, 3), dtype=tf.uint8)
    # data preprocessing and augmentation
    in_layer = DRAugment(
        self.augment,
        self.batch_size,
        size=(self.image_size, self.image_size),
        in_layers=[self.inputs])
    ...


class DRAugment(Layer):
  ...

  def create_tensor(self, in_layers=None, set_tensors=True, **kwargs):
    inputs = self._get_input_tensors(in_layers)
    parent_tensor = inputs[0]
    training = kwargs['training'] if 'training' in kwargs else 1.0

    parent_tensor = tf.image.convert_image_dtype(parent_tensor, tf.float32)
    if not self.augment:
      out_tensor = parent_tensor
    ...
