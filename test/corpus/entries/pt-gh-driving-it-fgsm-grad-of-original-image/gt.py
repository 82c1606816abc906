import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-driving-it-fgsm-grad-of-original-image"


@gt.case(CASE)
def _():
    # The snippet's own text, with a small steering regressor; the gradient each of the five steps uses is recorded
    # by wrapping the step helper, and compared with the fresh gradient at that step's perturbed image.
    torch.manual_seed(0)
    model = gt.mlp(12, 1, width=16)
    image = torch.rand(1, 12, dtype=torch.float64)
    ns = gt.exec_snippet(__file__, {"torch": torch})
    step = ns["fgsm_attack_fun"]
    used, fresh = [], []

    def recording(img, eps, grad):
        used.append(grad.clone())
        x = img.detach().clone().requires_grad_(True)
        tgt = (model(image.detach()) - 0.5).detach()
        fresh.append(torch.autograd.grad(torch.nn.functional.mse_loss(model(x), tgt), x)[0])
        return step(img, eps, grad)

    ns["fgsm_attack_fun"] = recording
    ns["fgsm_attack"](model, image, 0.5, "cpu", epsilon=0.05)
    same = all(torch.equal(used[0], g) for g in used[1:])
    err = max(gt.rel_err(u, f) for u, f in zip(used[1:], fresh[1:]))
    return same and err > 1e-3, (f"the gradient of all {len(used)} steps is the first one: {same}; "
                                 f"largest rel err vs the fresh gradient at steps 2-5: {gt.fmt(err)}")


gt.main()
