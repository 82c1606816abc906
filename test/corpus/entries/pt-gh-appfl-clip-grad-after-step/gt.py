import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-appfl-clip-grad-after-step")
def _():
    ns = gt.exec_snippet(__file__, {"BaseClient": object})
    client = ns["ClientOptim"]()
    torch.manual_seed(0)
    client.model = torch.nn.Linear(4, 1)
    client.cfg = types.SimpleNamespace(device="cpu")
    client.optim, client.optim_args = "SGD", {"lr": 0.1}
    client.num_local_epochs, client.round = 1, 0
    x = torch.randn(16, 4) * 10
    client.dataloader = [(x, x.sum(1, keepdim=True) * 5)]  # one batch with a large gradient
    client.loss_fn = torch.nn.functional.mse_loss
    client.clip_grad, client.use_dp, client.clip_value, client.clip_norm = True, False, 1.0, 2
    before = [p.detach().clone() for p in client.model.parameters()]
    client.update()
    step = gt.norm_of([p.detach() - b for p, b in zip(client.model.parameters(), before)])
    bound = 0.1 * 1.0  # lr * clip_value: the largest SGD step a clipped gradient allows
    return step > bound * (1 + 1e-6), f"parameter step norm {gt.fmt(step)} against lr * clip_value = {gt.fmt(bound)}"


gt.main()
