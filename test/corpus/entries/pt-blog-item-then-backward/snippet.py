import torch
x = torch.tensor([1.0], requires_grad=True)
y = torch.sin(x)
z = y.item() # 将张量转换为标量值
z.backward() # 尝试计算z相对于x的梯度
