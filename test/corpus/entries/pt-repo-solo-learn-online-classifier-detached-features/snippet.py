import lightning.pytorch as pl
import torch
import torch.nn as nn
import torch.nn.functional as F


class BaseMethod(pl.LightningModule):
    def __init__(self, cfg):
        super().__init__()
        method: str = cfg.method
        self.backbone: nn.Module = self.base_model(method, **kwargs)
        self.features_dim: int = self.backbone.num_features

        # online linear classifier
        self.num_classes: int = cfg.data.num_classes
        self.classifier: nn.Module = nn.Linear(self.features_dim, self.num_classes)

    def forward(self, X):
        if not self.no_channel_last:
            X = X.to(memory_format=torch.channels_last)
        feats = self.backbone(X)
        logits = self.classifier(feats.detach())
        return {"logits": logits, "feats": feats}

    def _base_shared_step(self, X: torch.Tensor, targets: torch.Tensor):
        out = self(X)
        logits = out["logits"]

        loss = F.cross_entropy(logits, targets, ignore_index=-1)
        out.update({"loss": loss})
        return out

    def training_step(self, batch, batch_idx: int):
        _, X, targets = batch

        X = [X] if isinstance(X, torch.Tensor) else X

        outs = [self._base_shared_step(x, targets) for x in X[: self.num_large_crops]]
        outs = {k: [out[k] for out in outs] for k in outs[0].keys()}

        # loss and stats
        outs["loss"] = sum(outs["loss"]) / self.num_large_crops
        return outs
