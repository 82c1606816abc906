x = torch.tensor(2.0, requires_grad=True)
y = x**3

# 一阶导数
grad1 = torch.autograd.grad(y, x, create_graph=True)[0]

# 二阶导数
grad2 = torch.autograd.grad(grad1, x)[0]
print(grad1, grad2)   # 12, 6
