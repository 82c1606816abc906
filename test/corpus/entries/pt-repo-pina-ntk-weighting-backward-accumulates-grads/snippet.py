"""Module for Neural Tangent Kernel Class"""

import torch


class NeuralTangentKernelWeighting(WeightingInterface):
    def __init__(self, update_every_n_epochs=1, alpha=0.5):
        super().__init__(update_every_n_epochs=update_every_n_epochs)

        # Initialize parameters
        self.alpha = alpha
        self.weights = {}

    def weights_update(self, losses):
        # Define a dictionary to store the norms of the gradients
        losses_norm = {}

        # Compute the gradient norms for each loss component
        for condition, loss in losses.items():
            loss.backward(retain_graph=True)
            grads = torch.cat(
                [p.grad.flatten() for p in self.solver.model.parameters()]
            )
            losses_norm[condition] = grads.norm()

        # Update the weights
        return {
            condition: self.alpha * self.last_saved_weights().get(condition, 1)
            + (1 - self.alpha)
            * losses_norm[condition]
            / sum(losses_norm.values())
            for condition in losses
        }
