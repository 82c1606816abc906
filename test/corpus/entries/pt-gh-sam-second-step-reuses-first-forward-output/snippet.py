# compute output
output = model(images)
# loss = criterion(output, target)
# SAM
# first forward-backward pass
loss = criterion(output, target)  # use this loss for any training statistics
loss.backward()
optimizer.first_step(zero_grad=True)

# second forward-backward pass
criterion(output, target).backward()  # make sure to do a full forward pass
optimizer.second_step(zero_grad=True)
