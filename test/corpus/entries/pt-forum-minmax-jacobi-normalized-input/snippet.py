def calculate_jacobi(model, inp_data, inp_scaler, out_scaler):
    normalized_input = normalize_inp(inp_data, inp_scaler)
    # set requires_grad to True so that the gradient is calculated with respect to input
    normalized_input.requires_grad = True

    # set requires_grad for all network parameters to False so that the gradient is not
    # calculated w.r.t. the network parameters
    for param in model.parameters():
        param.requires_grad = False

    output = model(normalized_input)
    unnorm_output = revert_output_normalization_keeping_gradient(output)

    # calculate gradient for every output dimension -> jacobi matrix
    jacobi = []
    for out in unnorm_output:
        # need to set retain_graph to True as backward path is done multiple times
        out.backward(retain_graph=True)
        jacobi.append(normalized_input.grad.numpy())

    return np.array(jacobi)

def normalize_inp(data, scaler):
    return torch.FloatTensor(scaler.transform(data))

def revert_output_normalization_keeping_gradient(normalized_output, scaler):
    unnorm_output = torch.zeros(normalized_output.shape)
    for dim in range(0, len(unnorm_output[0])):
        minimum = scaler.min_[dim]
        scale = scaler.scale_[dim]
        unnorm_output[:, dim] = torch.div(torch.sub(normalized_output[:,dim], minimum), scale)
    return unnorm_output
