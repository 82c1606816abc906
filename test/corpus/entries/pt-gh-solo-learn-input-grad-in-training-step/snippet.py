model_input.requires_grad = True
model.zero_grad()
model.eval()
grads = torch.autograd.grad(loss, model_input, grad_outputs=None, only_inputs=True, retain_graph=False)[0]
model.train()
