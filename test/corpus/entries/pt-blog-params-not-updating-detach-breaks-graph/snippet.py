import torch
# 错误示例:使用.detach()或.data导致梯度中断
x = torch.randn(3, requires_grad=True)
y = x * 2
z = y.detach() * 3 # 此处断开计算图
loss = z.sum()
loss.backward()
print(x.grad) # 输出: None
