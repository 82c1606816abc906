import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-truxify-maml-param-data-inner-update"


@gt.case(CASE)
def _():
    # The issue quotes fragments of inner_update and meta_train_step; the reproduction keeps their lines:
    # the adapted model is a copy of the meta-model (as MAML implementations build it), the inner step
    # writes through param.data, and the query loss is back-propagated to the meta-model.
    torch.manual_seed(0)
    model = gt.mlp(3, 1)
    criterion = torch.nn.MSELoss()
    support_x, support_y = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)
    query_x, query_y = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)
    inner_lr = 0.1

    def inner_update(net, x, y):
        adapted_model = copy.deepcopy(net)
        loss = criterion(adapted_model(x), y)
        grads = torch.autograd.grad(loss, adapted_model.parameters(), create_graph=True)
        for param, grad in zip(adapted_model.parameters(), grads):
            param.data -= inner_lr * grad
        return adapted_model

    adapted_model = inner_update(model, support_x, support_y)
    meta_loss = criterion(adapted_model(query_x), query_y)
    meta_loss.backward()
    got = [p.grad for p in model.parameters()]
    reached = any(g is not None and g.abs().sum().item() > 0 for g in got)
    return not reached, f"meta-parameters with a gradient after meta_loss.backward(): {sum(g is not None for g in got)}/{len(got)}"


gt.main()
