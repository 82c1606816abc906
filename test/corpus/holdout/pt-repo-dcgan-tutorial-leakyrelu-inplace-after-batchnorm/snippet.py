import torch
import torch.nn as nn
from torch.autograd import Variable


class Discriminator(nn.Module):

    def __init__(self):
        super(Discriminator, self).__init__()
        self.main = nn.Sequential(
            nn.Conv2d(in_channels=1, out_channels=28*4, 
                      kernel_size=4, stride=2, padding=1, 
                      bias=False),
            nn.BatchNorm2d(num_features=28*4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(in_channels=28*4, out_channels=28*8, 
                      kernel_size=4, stride=2, padding=1, 
                      bias=False),
            nn.BatchNorm2d(num_features=28*8),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(in_channels=28*8, out_channels=1, 
                      kernel_size=7, stride=1, padding=0, 
                      bias=False),
            nn.Sigmoid())

    def forward(self, inputs):
        o = self.main(inputs)
        return o.view(-1, 1)


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
