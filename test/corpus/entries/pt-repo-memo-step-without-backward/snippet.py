# General process
data, target = data.to(device), target.to(device)
model.train()
optimizer.zero_grad()
output = model(data)
loss = F.nll_loss(output, target)
optimizer.step()
print(loss.item())
