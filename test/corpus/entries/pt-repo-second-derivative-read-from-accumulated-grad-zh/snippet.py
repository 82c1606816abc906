x = torch.tensor(2.0, requires_grad=True)
y = x**3

# 一阶梯度
torch.autograd.backward(y, create_graph=True)
dy_dx = x.grad        # 3*x^2 = 12
print(dy_dx)

# 二阶梯度
dy_dx.backward()
print(x.grad)         # 注意 grad 会累加，所以结果是 12 + 12 = 24
