for i, (inputs, labels) in enumerate(tqdm(train_data_loader)):

    inputs = inputs.to(device)
    labels = labels.to(device)

    # Clean existing gradients
    optimizer.zero_grad()

    # Forward pass - compute outputs on input data using the model
    outputs = model(inputs)
    ret, predictions = torch.max(outputs.data, 1)
    value_list = []
    for i in outputs[:,:1].cpu().detach().numpy():
      for j in i:
        value_list.append(j)
    # print(value_list)
    outputs = torch.Tensor(value_list)
    outputs.requires_grad = True
    outputs = outputs.to(device)
