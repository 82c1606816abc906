def get_diff_logits_grads_batch(self, imgs, la):
    im = imgs.clone().requires_grad_()
    with torch.enable_grad():
        y = self.predict(im)

    g2 = torch.zeros([y.shape[-1], *imgs.size()]).to(self.device)
    grad_mask = torch.zeros_like(y)
    for counter in range(y.shape[-1]):
        zero_gradients(im)
        grad_mask[:, counter] = 1.0
        y.backward(grad_mask, retain_graph=True)
        grad_mask[:, counter] = 0.0
        g2[counter] = im.grad.data

    g2 = torch.transpose(g2, 0, 1).detach()
    y2 = self.predict(imgs).detach()
    df = y2 - y2[torch.arange(imgs.shape[0]), la].unsqueeze(1)
    dg = g2 - g2[torch.arange(imgs.shape[0]), la].unsqueeze(1)
    df[torch.arange(imgs.shape[0]), la] = 1e10

    return df, dg

