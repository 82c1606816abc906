# What not to do!
for data, target in train_loader:
    output = model(data)
    loss = criterion(output, target)
    loss.backward()

    # Gradients are accumulated here, leading to incorrect updates!
    optimizer.step()
