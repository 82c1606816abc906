import torch

class MyCustomOp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        # Incorrectly returning a tensor with a different shape
        return grad_output, grad_output.sum() # This will fail
