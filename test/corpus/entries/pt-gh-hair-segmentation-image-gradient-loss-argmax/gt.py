import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-hair-segmentation-image-gradient-loss-argmax")
def _():
    # The repository's training step (src/train.py at the same commit):
    #   loss = bce_loss + self.gradient_loss_weight * image_gradient_loss
    # with a small 2-class segmentation net; compare the weight gradients with and without the image term.
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.Tanh(), torch.nn.Conv2d(8, 2, 3, padding=1))
    image = torch.randn(2, 3, 16, 16)
    gray_image = 0.05 * image.mean(1, keepdim=True)  # small intensities: the clipped loss stays positive
    mask = (torch.rand(2, 1, 16, 16) > 0.5).long()
    criterion = ns["ImageGradientLoss"]()
    criterion.device = torch.device("cpu")
    bce = torch.nn.CrossEntropyLoss()

    def grads(weight):
        net.zero_grad()
        pred = net(image)
        pred_flat = pred.permute(0, 2, 3, 1).contiguous().view(-1, 2)
        mask_flat = mask.squeeze(1).view(-1).long()
        igl = criterion(pred, gray_image)
        loss = bce(pred_flat, mask_flat) + weight * igl
        loss.backward()
        return [p.grad.clone() for p in net.parameters()], float(igl), bool(torch.is_tensor(igl) and igl.requires_grad)

    g0, _, _ = grads(0.0)
    g1, igl, req = grads(0.5)
    diff = max(float((a - b).abs().max()) for a, b in zip(g0, g1))
    return diff == 0.0 and igl != 0.0, f"image gradient loss {gt.fmt(igl)} (requires_grad {req}); max |grad(bce + 0.5*igl) - grad(bce)| = {diff}"


gt.main()
