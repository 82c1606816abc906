import torch.nn as nn
import torch.nn.functional as F
from torch.optim import SGD

class MyModel(nn.Module):
    def __init__(self,
                 in_dim,
                 hid_dim,
                 out_dim):

        super(MyModel, self).__init__()

        self.layer1 = nn.Linear(
            in_features=in_dim,
            out_features=hid_dim
        )
        self.layer2 = nn.Linear(
            in_features=hid_dim,
            out_features=out_dim
        )

    def forward(self, batch_x):
        h = self.layer1(batch_x)
        a = F.relu(h)
        y = self.layer2(a)
        return y

model = MyModel(
    in_dim=1,
    hid_dim=hid_dim,
    out_dim=1
)
model = model.to(device)

criterion = nn.MSELoss()

optimizer = SGD(
    model.parameters(),
    lr=0.0001
)

for epoch in range(n_epoch):
    for batch_x, batch_y in train_data_loader:
        batch_x = batch_x.to(device)
        batch_y = batch_y.to(device)

        pred_y = model(batch_x)
        loss = criterion(pred_y, batch_y)

        loss.backward()
        optimizer.step()
