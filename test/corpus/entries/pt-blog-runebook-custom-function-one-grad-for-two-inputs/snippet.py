# Mismatching Gradients (Incorrect)
class MyAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, grad_output):
        # We need to return two gradients, for x and y
        # But here we only return one.
        return grad_output
