import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-semanticgan-r1-frozen-image-discriminator"


@gt.case(CASE)
def _():
    # The snippet's own requires_grad() and d_r1_loss(); the loop lines (Step1, Step2, the d_regularize
    # branch) are replayed with small stand-ins, since train() needs StyleGAN2 models and data loaders.
    ns = gt.exec_snippet(__file__)
    requires_grad, d_r1_loss = ns["requires_grad"], ns["d_r1_loss"]

    def run(r1):
        torch.manual_seed(0)
        d_img, d_seg = gt.mlp(6, 1), gt.mlp(6, 1)
        d_img_optim = torch.optim.Adam(d_img.parameters(), lr=1e-2)
        d_seg_optim = torch.optim.Adam(d_seg.parameters(), lr=1e-2)
        real_img = torch.randn(8, 6, dtype=torch.float64)
        fake_img = torch.randn(8, 6, dtype=torch.float64)
        # Step1: train the d_img
        requires_grad(d_img, True)
        requires_grad(d_seg, False)
        d_img_loss = torch.nn.functional.softplus(-d_img(real_img)).mean() + torch.nn.functional.softplus(d_img(fake_img)).mean()
        d_img.zero_grad()
        d_img_loss.backward()
        d_img_optim.step()
        # Step2: train the d_seg
        requires_grad(d_img, False)
        requires_grad(d_seg, True)
        d_seg_loss = d_seg(fake_img).mean() - d_seg(real_img).mean()
        d_seg.zero_grad()
        d_seg_loss.backward()
        d_seg_optim.step()
        # d_regularize branch, as quoted
        before = copy.deepcopy(d_img)
        real_img.requires_grad = True
        real_pred = d_img(real_img)
        r1_img_loss = d_r1_loss(real_pred, real_img)
        d_img.zero_grad()
        (r1 / 2 * r1_img_loss * 16 + 0 * real_pred[0]).backward()
        grad_norm = gt.norm_of(gt.param_grads(d_img))
        d_img_optim.step()
        params = [p.detach().clone() for p in d_img.parameters()]
        return params, grad_norm, float(r1_img_loss)

    with_r1, grad_norm, penalty = run(10.0)
    without_r1, _, _ = run(0.0)
    diff = max(float((a - b).abs().max()) for a, b in zip(with_r1, without_r1))
    return diff < 1e-12 and penalty > 0, (
        f"R1 penalty {penalty:.4g}; grad norm on d_img params {grad_norm:.3g}; "
        f"max |w(r1=10) - w(r1=0)| after the regularization step {diff:.3g}")


gt.main()
