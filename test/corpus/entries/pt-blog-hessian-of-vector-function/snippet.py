import torch

def my_vector_function(x):
    # This function returns a vector, not a scalar!
    return x * x

x = torch.randn(3, requires_grad=True)

try:
    H = torch.autograd.functional.hessian(my_vector_function, x)
except RuntimeError as e:
    print(f"Oops, we got an error: {e}")
