from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class VectorQuantizer(nn.Module):
    def __init__(self, num_latents: int, latent_dim: int, code_restart: bool = False) -> None:
        super(VectorQuantizer, self).__init__()
        self.codebook = nn.Embedding(num_latents, latent_dim)
        self.codebook.weight.data.uniform_(-1.0 / num_latents, 1.0 / num_latents)

        # Initialize a usage buffer
        self.register_buffer("usage", torch.zeros(num_latents), persistent=False)
        self.num_latents = num_latents

        self.code_restart = code_restart

    def update_usage(self, min_enc) -> None:
        for idx in min_enc:
            self.usage[idx] = self.usage[idx] + 1  # Add used code

    def forward(self, x: Tensor, delta_psnr: bool = False) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        # x: (N, D)

        # ---- FP32 distance computation ----
        # keep original dtype for the rest
        orig_dtype = x.dtype
        codebook = self.codebook.weight

        # disable autocast so cdist really runs in fp32
        with torch.cuda.amp.autocast(enabled=False):
            x_fp32 = x.float()                    # (N, D)
            cb_fp32 = codebook.float()           # (K, D)
            distance = torch.cdist(x_fp32, cb_fp32)  # (N, K) in fp32

        # ---- argmin and code lookup (no grads through indices) ----
        indices = torch.argmin(distance, dim=1)  # (N,)

        if delta_psnr:
            shape = indices.shape
            rand_indices = torch.randint(0, self.num_latents, shape, device=indices.device)
            # avoid collisions with true indices
            while torch.any(rand_indices == indices):
                new_indices = torch.randint(0, self.num_latents, shape, device=indices.device)
                rand_indices = torch.where(rand_indices == indices, new_indices, rand_indices)
            z = F.embedding(rand_indices, codebook)  # same dtype as codebook
        else:
            z = F.embedding(indices, codebook)       # (N, D)

        # ---- usage bookkeeping ----
        if not self.training or self.code_restart:
            self.update_usage(indices)

        # ---- straight-through estimator ----
        # x may be fp16/bf16, z is same dtype as codebook
        z_q = x + (z - x).detach()  # STE, stays in orig dtype

        return z_q, z, x, indices
