def test_step(self, batch, batch_nb):
    imgs, labels = batch
    self.last_imgs = imgs

    # get gradients
    self.classifier.eval()
    copied_input = imgs.clone()
    copied_input.requires_grad_(True)
    output = self.classifier(copied_input)
    loss = self.criterion_ce(output, labels)
    gradients = torch.autograd.grad(loss, copied_input)[0]
    self.last_grad = gradients

def criterion_ce(self, y_hat, y):
    return F.cross_entropy(y_hat, y)
