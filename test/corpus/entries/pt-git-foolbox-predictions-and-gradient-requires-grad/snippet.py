import numpy as np
import warnings

from .base import DifferentiableModel


class PyTorchModel(DifferentiableModel):
    def _old_pytorch(self):
        # lazy import
        import torch
        version = torch.__version__.split('.')[:2]
        pre04 = int(version[0]) == 0 and int(version[1]) < 4
        return pre04

    def predictions_and_gradient(self, image, label):
        # lazy import
        import torch
        import torch.nn as nn
        if self._old_pytorch():
            from torch.autograd import Variable

        image = self._process_input(image)
        target = np.array([label])
        target = torch.from_numpy(target)
        if self.cuda:  # pragma: no cover
            target = target.cuda()

        assert image.ndim == 3
        images = image[np.newaxis]
        images = torch.from_numpy(images)
        if self.cuda:  # pragma: no cover
            images = images.cuda()

        if self._old_pytorch():
            target = Variable(target)
            images = Variable(images, requires_grad=True)
        else:
            images.requires_grad_()

        predictions = self._model(images)
        ce = nn.CrossEntropyLoss()
        loss = ce(predictions, target)
        loss.backward()
        grad = images.grad

        if self._old_pytorch():
            predictions = predictions.data
        if self.cuda:  # pragma: no cover
            predictions = predictions.cpu()

        if not self._old_pytorch():
            predictions = predictions.detach()
        predictions = predictions.numpy()
        predictions = np.squeeze(predictions, axis=0)
        assert predictions.ndim == 1
        assert predictions.shape == (self.num_classes(),)

        if self._old_pytorch():
            grad = grad.data
        if self.cuda:  # pragma: no cover
            grad = grad.cpu()
        if not self._old_pytorch():
            grad = grad.detach()
        grad = grad.numpy()
        grad = self._process_gradient(grad)
        grad = np.squeeze(grad, axis=0)
        assert grad.shape == image.shape

        return predictions, grad
