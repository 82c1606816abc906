from torch.autograd import Function


class BypassRound(Function):
    @staticmethod
    def forward(ctx, inputs):
        return torch.round(inputs)

    @staticmethod
    def backward(ctx, grad_output):
        # 这里的grad_output是round之后的tensor的梯度,直接将它作为round之前tensor的梯度
        return grad_output


# Function.apply的别名
bypass_round = BypassRound.apply

# demo
z3_rounded = bypass_round(z3)


def ste_round(x):
    return torch.round(x) - x.detach() + x
