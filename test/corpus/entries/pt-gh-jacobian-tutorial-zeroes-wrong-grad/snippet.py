import torch
from torch.autograd import Variable

m = Variable(torch.FloatTensor([[2, 3]]), requires_grad=True) # 构建一个 1 x 2 的矩阵
n = Variable(torch.zeros(1, 2)) # 构建一个相同大小的 0 矩阵

# 通过 m 中的值计算新的 n 中的值
n[0, 0] = m[0, 0] ** 2
n[0, 1] = m[0, 1] ** 3

n.backward(torch.ones_like(n)) # 将 (w0, w1) 取成 (1, 1)

x = Variable(torch.FloatTensor([[2, 3]]), requires_grad=True)
k = Variable(torch.zeros(1, 2))

k[0, 0] = x[0, 0] ** 2 + 3 * x[0 ,1]
k[0, 1] = x[0, 1] ** 2 + 2 * x[0, 0]

j = torch.zeros(2, 2)

k.backward(torch.FloatTensor([[1, 0]]), retain_graph=True)
j[:, 0] = x.grad.data

m.grad.data.zero_() # 归零之前求得的梯度

k.backward(torch.FloatTensor([[0, 1]]))
j[:, 1] = x.grad.data
