import torch

# 创建一个需要求导的张量
x = torch.tensor([2.0], requires_grad=True)

# 定义一个函数 f = x^2
def f(x):
    return x**2

# 计算 f 在 x=2 处的值
output = f(x)
print(output)

# 对 f 进行反向传播,计算梯度
output.backward()

# 查看梯度值
print(x.grad)
