import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-blog-marcosmart-fgsm-clone-detach-ok"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    model = gt.mlp(6, 3)
    w = torch.rand(4, 6, dtype=torch.float64, requires_grad=True)
    images = w * 0.5 + 0.25  # a non-leaf batch, as produced by a preprocessing step
    labels = torch.tensor([0, 1, 2, 1])
    eps = 0.05
    adv = ns["fgsm_attack"](model, images, labels, eps)
    g = gt.input_grad(lambda t: F.cross_entropy(model(t), labels), images)[0]
    expected = torch.clamp(images.detach() + eps * g.sign(), 0, 1)
    err = gt.rel_err(adv, expected)
    return err > 1e-12, f"adversarial batch vs x + eps * sign(grad): rel err {err:.1e}"


gt.main()
