import torch
import torch.nn as nn
from torch.autograd import Variable

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc0 = nn.Linear(3, 5)
    def forward(self, x):
        x = torch.cat(x)
        self.y = x #Variable(x.data, requires_grad=x.requires_grad, volatile=x.volatile)
        x = self.fc0(self.y)
        return x

model = Net()
x = [Variable(torch.Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), requires_grad=True) for i in xrange(3)]
output = model(x)
output[0][0].backward()
print(model.y.grad)
