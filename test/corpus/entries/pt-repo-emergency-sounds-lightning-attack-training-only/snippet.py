import pytorch_lightning as pl
import random
import math
import time
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, random_split
from utils.Helpers import sample_dict_values
import os.path

class GeneralPLModule(pl.LightningModule):        
    #
    # these functions need to be overwritten:
    #
    
    # set your model
    def __init__(self, hparams):
        super().__init__()
        # set hyperparams
        self.hparams = hparams
        self.attack = None
        self.model = None
        self.special_validation_end = None
        self.smooth = False
        self.sigma = 0
        self.val_results_history = []
        self.dataset = {}


    #
    

    
    def general_step(self, batch, batch_idx, mode):
        x, y = batch, batch["label"]
            
        # for adversarial training: 
        if mode == "training" and self.attack:
            x = self.attack.attackSample(x, y, **sample_dict_values(self.attack.attack_parameters, N_batch = len(y)))

        # forward pass
        scores = self.forward(x) # should be of shape [batch_size, 2]

        # compute loss
        loss = F.cross_entropy(scores, y)

        # predictions
        preds = scores.argmax(axis=1) #[0] is max, [1] is arg max
        
        n_correct = preds.eq(y).sum()

        return loss, n_correct
    
    def training_step(self, batch, batch_idx):
        loss, n_correct = self.general_step(batch, batch_idx, "training")
        tensorboard_logs = {'loss': loss}
        return {"training_loss": loss, 'loss': loss, 'training_n_correct': n_correct, 'log': tensorboard_logs}

    def validation_step(self, batch, batch_idx):
        loss, n_correct = self.general_step(batch, batch_idx, "validation")
        return {'validation_loss': loss, 'validation_n_correct': n_correct}
   
    def general_end(self, outputs, mode):
        # average over all batches aggregated during one epoch
        avg_loss = torch.stack([x[mode + '_loss'] for x in outputs]).mean()
        total_correct = torch.stack([x[mode + '_n_correct'] for x in outputs]).sum().cpu().numpy()
        acc = total_correct / len(self.dataset[mode])
        return avg_loss, acc
    
    def forward(self, x):
        
        # for randomized smoothing: train a smooth classifier, i.e., with train with adding Gaussian Noise
        if self.smooth:
            noise = torch.randn_like(x["audio"]) * self.sigma
            x["audio"] = (x["audio"] + noise).clamp(-1, 1)
        
        x = self.model.forward(x)
        return x#F.log_softmax(x, dim = 2)


    # convenience
    #
    
    def setAttack(self, attack_class, attack_args):
        self.attack = attack_class(self.model, self.val_dataloader(), attack_args, early_stopping=-1, device='cuda', save_samples=False)
        
