factor = torch.ones(num, requires_grad=True)
self.factor = torch.nn.Parameter(factor).cuda()
