@torch.no_grad()
def step(self, closure=None):
    if closure is None:
        loss = None
    else:
        loss = closure()
