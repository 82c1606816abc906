def relu_backward_hook_function_bis(module, grad_in, grad_out):
           """
           If there is a negative gradient, change it to zero
           """
           # Get last forward output
           modified_grad_out = torch.clamp(grad_in[0], min=0.0)
           return (modified_grad_out,)
