class MnistCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d( 1, 16, 3, stride = 1, padding = 2)
        self.pool1 = nn.MaxPool2d(kernel_size = 2)
        self.conv2 = nn.Conv2d(16, 32, 3, stride = 1, padding = 2)
        self.pool2 = nn.MaxPool2d(kernel_size = 2)
        self.dropout = nn.Dropout(0.5)
        self.lin = nn.Linear(32 * 8 * 8, 10)

    def forward(self, x):
        # conv block
        x = F.relu(self.conv1(x))
        x = self.pool1(x)
        # conv block
        x = F.relu(self.conv2(x))
        x = self.pool2(x)
        # dense block
        x = x.view(x.size(0), -1)
        x = self.dropout(x)
        return self.lin(x)


x, y = ... # get one image from MNIST
x.requires_grad_(True)  # indicate to pytorch that you would like to look at these gradients
pred = model(x)
loss = criterion(pred, y)
loss.backward()  # propagate gradients
x.grad  # <- here you should have the gradients of the loss w.r.t pixels
