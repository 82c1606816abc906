import torch
from torch.autograd import grad,Variable

input = Variable(torch.rand(1,3,224,224), requires_grad=True).cuda()
w = Variable(torch.rand(1,802816)).cuda()
net = vgg16_withoutfc().cuda()
output = net(input)
jacob = grad(output, input, grad_outputs=w, create_graph=True)[0]
y = grad(jacob.sum(), input, create_graph=True)[0]
