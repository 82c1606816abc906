ypred_th = torch.tensor(ypred.reshape(1, lenypred), requires_grad=True)
