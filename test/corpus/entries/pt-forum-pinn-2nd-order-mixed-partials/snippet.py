X.requires_grad = True
p = mlp(X)
grads, = torch.autograd.grad(p, X, grad_outputs=p.data.new(p.shape).fill_(1),create_graph=True, only_inputs=True)
grads1, = torch.autograd.grad(grads, X, grad_outputs=grads.data.new(grads.shape).fill_(1), create_graph=True, only_inputs=True)
dpdx, dpdt = grads[:,0], grads[:,1]
dpdxx = grads1[:,0]
