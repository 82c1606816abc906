model = Resnet()
param_copy = copy.deepcopy(model.parameters())

# load parameters
for meta_param, model_param in zip(param_copy, model.parameters()):
    # shallow copy here
    model_param = meta_param
out = model(x)
loss = F.cross_entropy(out, y)
grad = torch.autograd.grad(loss, param_copy)
# use grad to update param_copy
param_copy = list(map(lambda p: p[1] - update_lr * p[0], zip(grad, param_copy)))
