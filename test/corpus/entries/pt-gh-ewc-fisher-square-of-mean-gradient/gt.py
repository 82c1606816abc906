import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-ewc-fisher-square-of-mean-gradient"


@gt.case(CASE)
def _():
    # The quoted ElasticWeightConsolidation runs unchanged on a small classifier and a 16-sample data set
    # (batch_size 8, num_batch 1: both batches are used), and its registered Fisher diagonal is compared with
    # the empirical Fisher of the same samples: the mean over samples of the squared gradient of log p(y_i | x_i).
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    ds = torch.utils.data.TensorDataset(x, y)
    ewc = ns["ElasticWeightConsolidation"](model, torch.nn.CrossEntropyLoss())
    ewc.register_ewc_params(ds, 8, 1)
    names = [n.replace(".", "__") for n, _ in model.named_parameters()]
    got = [getattr(model, n + "_estimated_fisher") for n in names]

    want = [torch.zeros_like(p) for p in model.parameters()]
    for i in range(16):
        lp = torch.log_softmax(model(x[i:i + 1]), dim=1)[0, y[i]]
        for w, g in zip(want, torch.autograd.grad(lp, list(model.parameters()))):
            w += g ** 2 / 16
    ratio = float(sum(a.sum() for a in got) / sum(b.sum() for b in want))
    err = max(gt.rel_err(a, b) for a, b in zip(got, want))
    return err > 0.5, f"sum of registered Fisher / sum of empirical Fisher {ratio:.3g}; max rel. error {err:.3g}"


gt.main()
