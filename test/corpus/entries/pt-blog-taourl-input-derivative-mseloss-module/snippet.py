import torch
import torch.nn as nn
import torch.optim as optim
# Define a simple neural network
class SimpleNN(nn.Module):
    def __init__(self):
        super(SimpleNN, self).__init__()
        self.fc1 = nn.Linear(10, 5)
        self.fc2 = nn.Linear(5, 1)
    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = self.fc2(x)
        return x
# Initialize model, input, and target
model = SimpleNN()
input_tensor = torch.randn(1, 10, requires_grad=True)
target = torch.tensor([1.0])
# Forward pass and compute loss
output = model(input_tensor)
loss = nn.MSELoss(output, target)
# Compute derivative of loss w.r.t. input
loss.backward()
input_derivative = input_tensor.grad
print("Input derivative:", input_derivative)
