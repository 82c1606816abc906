"""Utilities to compute an IntegratedGradients SaliencyMask."""

import tensorflow as tf
import numpy as np
from .base import GradientSaliency

class IntegratedGradients(GradientSaliency):
  """A SaliencyMask class that implements the integrated gradients method.

  https://arxiv.org/abs/1703.01365
  """

  def GetMask(self, x_value, feed_dict={}, x_baseline=None, x_steps=25):
    """Returns a integrated gradients mask.

    Args:
      x_value: input ndarray.
      x_baseline: Baseline value used in integration. Defaults to 0.
      x_steps: Number of integrated steps between baseline and x.
    """
    if x_baseline is None:
      x_baseline = np.zeros_like(x_value)

    assert x_baseline.shape == x_value.shape

    x_diff = x_value - x_baseline

    x_val = []
    for alpha in np.linspace(0, 1, x_steps):
      x_val.append(x_baseline + alpha * x_diff)
    feed_dict[self.x] = x_val
    y_val, dy_dx_val = self.session.run([self.y, self.gradients_node],
                                        feed_dict)
    total_gradients = np.sum(dy_dx_val, axis=0)
    return total_gradients * x_diff / x_steps
