import torch
from torch import nn,optim
import torch.nn.functional as F

inputs = torch.Tensor(torch.randn(3, 5))
targets = torch.Tensor([1, 2, 3]).long()
inputs.requires_grad = True

inputs, targets = inputs.cuda(),targets.cuda()

Net = nn.Sequential(
    nn.Linear(5, 5),
    nn.Softmax()
).cuda()

out = Net(inputs[0])
Net.train()
optimizer = optim.Adam(Net.parameters(), lr=0.001)
loss_fn = nn.NLLLoss()
for i in range(3):

    optimizer.zero_grad()

    loss = loss_fn(out.view(1, 5), targets[0].view(1))
    loss.backward(retain_graph=True)
    print(inputs.grad)
    optimizer.step()
