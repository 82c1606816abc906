import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-esrgan-discriminator-own-optimizer"


@gt.case(CASE)
def _():
    # Reproduction of the quoted iteration (CPU, so the GradScaler is disabled and scaler.step(opt) is
    # opt.step()): the generator step with g_optimizer, then the discriminator step with what main() passes
    # as d_optimizer, the discriminator's own optimizer after the fix.
    torch.manual_seed(0)
    g_model, d_model = gt.mlp(4, 4, width=8), gt.mlp(4, 1, width=8)
    g_optimizer = torch.optim.Adam(g_model.parameters(), lr=1e-3)
    d_optimizer = torch.optim.Adam(d_model.parameters(), lr=1e-3)  # train(..., g_optimizer, d_optimizer, ...)
    bce = torch.nn.BCEWithLogitsLoss()
    lr, gt_img = torch.randn(8, 4, dtype=torch.float64), torch.randn(8, 4, dtype=torch.float64)
    real_label = torch.ones(8, 1, dtype=torch.float64)
    fake_label = torch.zeros(8, 1, dtype=torch.float64)
    d_before = [p.detach().clone() for p in d_model.parameters()]

    for p in d_model.parameters():
        p.requires_grad = False
    g_model.zero_grad(set_to_none=True)
    sr = g_model(lr)
    gt_output, sr_output = d_model(gt_img.detach().clone()), d_model(sr)
    g_loss = torch.nn.functional.l1_loss(sr, gt_img) + 0.5 * (
        bce(gt_output - sr_output.mean(), fake_label) + bce(sr_output - gt_output.mean(), real_label))
    g_loss.backward()
    g_optimizer.step()

    for p in d_model.parameters():
        p.requires_grad = True
    d_model.zero_grad(set_to_none=True)
    gt_output = d_model(gt_img)
    sr_output = d_model(sr.detach().clone())
    (bce(gt_output - sr_output.mean(), real_label) * 0.5).backward(retain_graph=True)
    sr_output = d_model(sr.detach().clone())
    (bce(sr_output - gt_output.mean(), fake_label) * 0.5).backward()
    d_optimizer.step()

    moved = max(float((p - q).abs().max()) for p, q in zip(d_model.parameters(), d_before))
    has_grad = all(p.grad is not None for p in d_model.parameters())
    return moved == 0.0 and has_grad, (f"discriminator has gradients: {has_grad}; largest change of its weights after "
                                       f"the discriminator step: {gt.fmt(moved)}")


gt.main()
