import numpy as np
import tensorflow as tf


def T(layer):
  '''Helper for getting layer output tensor'''
  return graph.get_tensor_by_name("import/%s:0"%layer)

def run_network(sess, tensor, images):
  imagenet_mean = 117.0
  return sess.run(tensor, {'import/input:0': [img - imagenet_mean for img in images]})

def output_label_tensor(label):
  '''Returns a tensor (shape: scalar) representing the SOFTMAX
     for a given label.
  '''
  lab_index = np.where(np.in1d(labels, [label]))[0][0]
  t_softmax = tf.reduce_mean(T('softmax2'), reduction_indices=0)
  return t_softmax[lab_index]

def integrated_gradients(img, label, steps=50):
  t_output = output_label_tensor(label)  # shape: scalar
  t_grad = tf.gradients(t_output, T('input'))[0]
  scaled_images = [(float(i)/steps)*img for i in range(1, steps+1)]
  # Compute the gradients of the scaled images
  grads = run_network(sess, t_grad, scaled_images)
  return img*np.average(grads, axis=0)
