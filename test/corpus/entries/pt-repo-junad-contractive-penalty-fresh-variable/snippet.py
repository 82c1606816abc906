import torch.nn.functional as F
import torch.optim as optim
from torch.autograd import grad
from torch.autograd import Variable


def train_cvae(model, train_loader, device, num_epoch=2, lr=1e-3):
    model.train()
    optimizer = optim.Adam(model.parameters(), lr=lr)

    def jacobian(inputs, outputs):
        #quote from this site:https://discuss.pytorch.org/t/calculating-jacobian-in-a-differentiable-way/13275/3
        return torch.stack([grad([outputs[:, i].sum()], [inputs], retain_graph=True, create_graph=True)[0]
                            for i in range(outputs.size(1))], dim=-1)

    def FrobiusNorm(matrix):
        norm = torch.pow(torch.norm(matrix, 2), 2)
        return norm

    # Reconstruction + KL divergence losses summed over all elements and batch
    def loss_function(recon_x, x, mu, logvar, gamma):
        BCE = F.binary_cross_entropy(recon_x, x, reduction='sum')
        KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        x_var = Variable(x, requires_grad=True)
        mu_Frob = FrobiusNorm(jacobian(x_var, mu))
        var_Frob = FrobiusNorm(jacobian(x_var, logvar))
        return BCE + KLD + gamma*(mu_Frob + var_Frob)

    train_loss = 0

    for epoch in range(num_epoch):
        for batch_idx, (data, _) in enumerate(train_loader):
            data = data.to(device)
            optimizer.zero_grad()
            recon_batch, mu, logvar = model(data)
            loss = loss_function(recon_batch, data, mu, logvar)
            loss.backward()
            train_loss += loss.item()
            optimizer.step()
