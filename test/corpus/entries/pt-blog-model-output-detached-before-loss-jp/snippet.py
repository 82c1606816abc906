# 誤った例
output = model(input).detach()
loss = loss_fn(output, target)
