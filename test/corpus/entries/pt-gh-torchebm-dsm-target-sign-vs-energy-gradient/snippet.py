"""Score Matching Loss Module"""

import math
import warnings
from typing import Optional, Union, Dict, Tuple, Any, Callable

import torch
from torch import nn
from torch.func import grad as func_grad, vmap, jacrev


from torchebm.core import BaseModel, BaseScoreMatching


class DenoisingScoreMatching(BaseScoreMatching):
    """Denoising Score Matching (DSM) from Vincent (2011)."""

    ...

    def compute_loss(
        self,
        x: torch.Tensor,
        *args,
        model_kwargs: Optional[dict] = None,
        generator: Optional[torch.Generator] = None,
        **kwargs,
    ) -> torch.Tensor:
        """Computes the denoising score matching loss."""
        mk = self._resolve_model_kwargs(
            model_kwargs, kwargs, warn_key="dsm-bare-model-kwargs"
        )
        x_perturbed, noise = self.perturb_data(x, generator=generator)

        score = self.compute_score(x_perturbed, model_kwargs=mk)

        target_score = -noise / (self.noise_scale**2)

        loss = (
            0.5
            * torch.sum(
                (score - target_score) ** 2, dim=list(range(1, len(x.shape)))
            ).mean()
        )

        return loss

