from typing import Dict, Optional

import numpy as np
import torch
import tqdm
from torch.utils.tensorboard import SummaryWriter

from seismogen.models.hor_segmentation.gan_utils import compute_gradient_penalty
from seismogen.models.hor_segmentation.utils import define_losses, eval_model
from seismogen.torch_config import torch_config


def wgan_loss_d(real_disc: torch.Tensor, fake_disc: torch.Tensor) -> torch.Tensor:
    return -torch.mean(real_disc) + torch.mean(fake_disc)


def wgan_loss_g(fake_disc: torch.Tensor) -> torch.Tensor:
    return -torch.mean(fake_disc)


def train_one_epoch(
    generator: torch.nn.Module,
    discriminator: torch.nn.Module,
    dataloaders: Dict[str, torch.utils.data.DataLoader],
    optimizer_g: torch.optim.Optimizer,
    optimizer_d: torch.optim.Optimizer,
    fixed_noise: torch.Tensor,
    scheduler_g: Optional[torch.optim.lr_scheduler._LRScheduler] = None,
    scheduler_d: Optional[torch.optim.lr_scheduler._LRScheduler] = None,
    predicted_class_idx: int = 0,
    real_fake_class_idx: int = 1,
    epoch_num: int = 0,
    clip_value: float = 0.01,
    n_critic: int = 1,
    fp16_scaler: Optional[torch.cuda.amp.GradScaler] = None,
    writer: Optional[SummaryWriter] = None,
) -> float:

    loss_unsup_disc = wgan_loss_d
    loss_unsup_gen = wgan_loss_g
    loss_sup_ce, loss_sup_d = define_losses(reduction="mean")

    total_samples = len(dataloaders["train"])
    progress_bar = tqdm.tqdm(enumerate(dataloaders["train"]), desc=f"Train epoch {epoch_num}", total=total_samples)
    batch_size = dataloaders["train"].batch_size
    style_dim = generator.style_dim

    for batch_idx, sample in progress_bar:
        optimizer_d.zero_grad()

        with torch.cuda.amp.autocast(enabled=fp16_scaler is not None):
            z = torch.randn((batch_size, style_dim)).to(torch_config.device)

            generated = generator(z)
            predict_d_fake = discriminator(generated.detach())
            predict_d_real = discriminator(sample["image"].to(torch_config.device))

            target_types = np.asarray(sample["target_type"])
            valid_ids = target_types != 0
            if valid_ids.sum() == 0:
                continue

            try:
                loss_sup_ce_v = loss_sup_ce(
                    predict_d_real[valid_ids, predicted_class_idx].unsqueeze(1),
                    sample["target"][valid_ids].to(torch_config.device),
                )
                loss_sup_d_v = loss_sup_d(
                    predict_d_real[valid_ids, predicted_class_idx].unsqueeze(1),
                    sample["target"][valid_ids].to(torch_config.device),
                )
                loss_unsup_disc_v = loss_unsup_disc(
                    predict_d_real[:, real_fake_class_idx], predict_d_fake[:, real_fake_class_idx]
                )
            except IndexError:
                print(predict_d_real.shape, valid_ids, predicted_class_idx)
                assert False

            if clip_value == 0:
                grad_pen = compute_gradient_penalty(
                    discriminator, real_data=sample["image"].to(torch_config.device), fake_data=generated
                )
            else:
                grad_pen = torch.tensor([0]).to(torch_config.device)

            loss_d = loss_sup_ce_v + loss_sup_d_v + loss_unsup_disc_v + grad_pen

        if fp16_scaler is not None:
            fp16_scaler.scale(loss_d).backward()
            fp16_scaler.step(optimizer_d)
            fp16_scaler.update()
        else:
            loss_d.backward()
            optimizer_d.step()
