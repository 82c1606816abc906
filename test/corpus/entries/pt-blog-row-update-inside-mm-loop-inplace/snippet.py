def forward(self,a):
    b = Variable(torch.Tensor(10,1))
    y = 0
    b = torch.mm(self.param,a)
    for i in range(10):
        b[i] = b[i] + 1 #inpalce operation
        y = y + torch.mm(self.param,b)
    return y
