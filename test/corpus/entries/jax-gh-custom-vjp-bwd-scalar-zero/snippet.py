def subfunc_bwd(input, g):
    grads = input[1]

    return (0., g * grads )
