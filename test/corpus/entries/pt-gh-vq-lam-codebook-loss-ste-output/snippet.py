from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F
from lam.modules.blocks import patchify, unpatchify, SpatioTemporalTransformer, SpatioTransformer, VectorQuantizer
from torch import Tensor


class VQLatentActionModel(nn.Module):
    """
    Vector Quantized Latent Action Model.
    Replaces the continuous VAE with discrete vector quantization.
    """

    def encode(self, videos: Tensor) -> Dict:
        # Preprocess videos (same as original)
        B, T = videos.shape[:2]
        patches = patchify(videos, self.patch_size)
        action_pad = self.action_prompt.expand(B, T, -1, -1)
        padded_patches = torch.cat([action_pad, patches], dim=2)

        # Encode (same as original)
        z = self.encoder(padded_patches)  # (B, T, 1+N, E)
        # Get latent action for all future frames
        z = z[:, 1:, 0]  # (B, T-1, E)

        # Project to latent dimension for VQ
        z = z.reshape(B * (T - 1), self.model_dim)
        z_e = self.pre_vq(z)  # (B*(T-1), latent_dim)
        
        # Vector Quantization
        z_q, _, _, indices = self.vq(z_e)
        # Reshape back
        z_q = z_q.reshape(B, T - 1, 1, self.latent_dim)
        indices = indices.reshape(B, T - 1)

        # Track indices during evaluation for analysis
        if not self.training:
            if self.indices_record is None:
                self.indices_record = indices
            else:
                self.indices_record = torch.cat([self.indices_record, indices], dim=0)

        return {
            "patches": patches,
            "z_rep": z_q,
            "z_e": z_e.reshape(B, T - 1, self.latent_dim),  # Pre-quantization embeddings
            "indices": indices
        }

    def forward(self, batch: Dict) -> Dict:
        # Encode + VQ
        H, W = batch["videos"].shape[2:4]
        outputs = self.encode(batch["videos"])
        
        # Decoder pathway (same as original)
        video_patches = self.patch_up(outputs["patches"][:, :-1])
        action_patches = self.action_up(outputs["z_rep"])
        video_action_patches = video_patches + action_patches

        # Remove patches to save memory
        del outputs["patches"]

        # Decode
        video_recon = self.decoder(video_action_patches)
        video_recon = torch.sigmoid(video_recon)
        
        # Compute VQ loss
        z_e = outputs["z_e"]  # (B, T-1, latent_dim)
        z_q = outputs["z_rep"].squeeze(2)  # (B, T-1, latent_dim)
        
        # VQ loss: commitment loss + codebook loss
        commitment_loss = F.mse_loss(z_q.detach(), z_e)
        codebook_loss = F.mse_loss(z_q, z_e.detach())
        vq_loss = codebook_loss + self.commitment_cost * commitment_loss
        
        outputs.update({
            "recon": unpatchify(video_recon, self.patch_size, H, W),
            "vq_loss": vq_loss,
            "commitment_loss": commitment_loss,
            "codebook_loss": codebook_loss
        })
        
        return outputs
