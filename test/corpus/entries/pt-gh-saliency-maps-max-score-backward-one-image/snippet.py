score, indices = torch.max(preds, 1)
#backward pass to get gradients of score predicted class w.r.t. input image
score.backward()
#get max along channel axis
slc, _ = torch.max(torch.abs(input.grad[0]), dim=0)
