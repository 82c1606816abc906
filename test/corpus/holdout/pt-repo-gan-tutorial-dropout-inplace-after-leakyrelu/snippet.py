import torch
import torch.nn as nn
from torch.autograd import Variable


class Discriminator(nn.Module):

    def __init__(self):
        super(Discriminator, self).__init__()
        self.main = nn.Sequential(
            nn.Linear(in_features=28*28, out_features=1024),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Dropout(inplace=True),
            nn.Linear(in_features=1024, out_features=512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Dropout(inplace=True),
            nn.Linear(in_features=512, out_features=256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Dropout(inplace=True),
            nn.Linear(in_features=256, out_features=1),
            nn.Sigmoid())

    def forward(self, inputs):
        inputs = inputs.view(-1, 28*28)
        return self.main(inputs)


D = Discriminator()
criterion = nn.BCELoss()

for real_data, _ in dataloader:
    batch_size = real_data.size(0)
    real_data = Variable(real_data)
    target_real = Variable(torch.ones(batch_size, 1))
    target_fake = Variable(torch.zeros(batch_size, 1))

    D_result_from_real = D(real_data)
    D_loss_real = criterion(D_result_from_real, target_real)

    z = Variable(torch.randn((batch_size, 100)))
    fake_data = G(z)
    D_result_from_fake = D(fake_data)
    D_loss_fake = criterion(D_result_from_fake, target_fake)

    D_loss = D_loss_real + D_loss_fake
    D.zero_grad()
    D_loss.backward()
    D_optimizer.step()
