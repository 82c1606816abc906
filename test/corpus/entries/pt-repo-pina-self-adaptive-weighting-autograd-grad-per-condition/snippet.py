"""Module for Self-Adaptive Weighting class."""

import torch


class SelfAdaptiveWeighting(WeightingInterface):

    def __init__(self, update_every_n_epochs=1):
        super().__init__(update_every_n_epochs=update_every_n_epochs)

    def weights_update(self, losses):
        # Get model parameters and define a dictionary to store the norms
        params = [p for p in self.solver.model.parameters() if p.requires_grad]
        norms = {}

        # Iterate over conditions
        for condition, loss in losses.items():

            # Compute gradients
            grads = torch.autograd.grad(
                loss,
                params,
                retain_graph=True,
                allow_unused=True,
            )

            # Compute norms
            norms[condition] = torch.cat(
                [g.flatten() for g in grads if g is not None]
            ).norm()

        # Update the weights
        return {
            condition: sum(norms.values()) / norms[condition]
            for condition in losses
        }
