"""Module for the physics-informed mixin class."""

import torch


class PhysicsInformedMixin:
    """
    Mixin that enables physics-informed training by ensuring gradients are
    enabled during validation and testing, which is necessary for computing
    physics residuals.
    """

    @torch.enable_grad()
    def validation_step(self, batch, batch_idx):
        return super().validation_step(batch, batch_idx)

    @torch.enable_grad()
    def test_step(self, batch, batch_idx):
        return super().test_step(batch, batch_idx)
