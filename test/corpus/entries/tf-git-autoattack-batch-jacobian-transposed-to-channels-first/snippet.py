import tensorflow as tf
import numpy as np
import torch

class ModelAdapter():
    def __init__(self, model, num_classes=10):
        """
        Please note that model should be tf.keras model without activation function 'softmax'
        """
        self.num_classes = num_classes
        self.tf_model = model
        self.__check_channel_ordering()

    def __check_channel_ordering(self):
        
        for L in self.tf_model.layers:
            if isinstance(L, tf.keras.layers.Conv2D):
                self.data_format = L.data_format
                return

        print("[INFO] set data_format = 'channels_first'")
        self.data_format = 'channels_first'

    def _get_logits(self, x_input):
        logits = self.tf_model(x_input, training=False)
        return logits

    def _get_jacobian(self, x_input):
        with tf.GradientTape(watch_accessed_variables=False) as g:
            g.watch(x_input)
            logits = self._get_logits(x_input)

        jacobian = g.batch_jacobian(logits, x_input)

        if self.data_format == 'channels_last':
            jacobian = tf.transpose(jacobian, perm=[0,1,4,2,3])

        return jacobian

    ...

    def predict(self, x):

        x2 = tf.convert_to_tensor(x.cpu().numpy(), dtype=tf.float32)
        if self.data_format == 'channels_last':
            x2 = tf.transpose(x2, perm=[0,2,3,1])

        y = self._get_logits(x2).numpy()
        
        return torch.from_numpy(y).cuda()

    def grad_logits(self, x):
        x2 = tf.convert_to_tensor(x.cpu().numpy(), dtype=tf.float32)
        if self.data_format == 'channels_last':
            x2 = tf.transpose(x2, perm=[0,2,3,1])
        g2 = self._get_jacobian(x2)
        
        return torch.from_numpy(g2.numpy()).cuda()

    def get_logits_loss_grad_xent(self, x, y):

        x2 = tf.convert_to_tensor(x.cpu().numpy(), dtype=tf.float32)
        y2 = tf.convert_to_tensor(y.clone().cpu().numpy(), dtype=tf.int32)
        if self.data_format == 'channels_last':
            x2 = tf.transpose(x2, perm=[0,2,3,1])

        logits_val, loss_indiv_val, grad_val = self._get_grad_xent(x2, y2)

        if self.data_format == 'channels_last':
            grad_val = tf.transpose(grad_val, perm=[0,3,1,2])
        
        return torch.from_numpy(logits_val.numpy()).cuda(), torch.from_numpy(loss_indiv_val.numpy()).cuda(), torch.from_numpy(grad_val.numpy()).cuda()

