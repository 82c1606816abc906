import torch
import torch.nn as nn

# Fully connected neural network with 2 hidden layer

class NeuralNet(nn.Module):
    def __init__(self, input_size, hidden_size):
        super(NeuralNet, self).__init__()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden_size, hidden_size)
        self.last = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out = self.fc1(x)
        out = self.relu(out)
        out = self.fc2(out)
        out = self.relu(out)
        out = self.last(out)
        out = self.relu(out)
        return(out)

    def u(self, features):
        u = self.forward(features)
        return(u)

input_size = 1
hidden_size = 64
model = NeuralNet(input_size, hidden_size).to(device)
