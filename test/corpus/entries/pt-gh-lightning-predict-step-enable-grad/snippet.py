import torch
import pytorch_lightning as pl


class Model(pl.LightningModule):
    
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 2)
        
    def predict_step(self, batch, batch_idx):
        with torch.enable_grad():
            x = torch.randn(2, 4, requires_grad=True)
            x.requires_grad = True
            y = self.linear(x)
            loss = y.mean()
            loss.backward()
    
dataset = torch.utils.data.TensorDataset(torch.randn(16, 4))
dataloader = torch.utils.data.DataLoader(dataset, batch_size=2)

trainer = pl.Trainer()
model = Model()

trainer.predict(model, dataloaders=dataloader)
