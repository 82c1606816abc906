with torch.enable_grad():
    N = 5
    f = lambda x: x ** 2
    x = torch.randn(N, requires_grad=True)
    # print(x.requires_grad)
    y = f(x)
    I_N = torch.eye(N)
    print(torch.is_inference_mode_enabled()) # False in train and validation, but True in test.
    # Sequential approach
    jacobian_rows = [torch.autograd.grad(y, x, v, retain_graph=True,allow_unused=True)[0]
                    for v in I_N.unbind()]
    ...
