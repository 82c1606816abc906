import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-dann-grl-plus-domain-loss"
HERE = os.path.dirname(os.path.abspath(__file__))


@gt.case(CASE)
def _():
    # The repository's GradReverse and Domain_classifier (workspace/models/models.py) and the quoted
    # train() run unchanged; `train.params` and `util.utils` are supplied as modules, a linear layer stands
    # in for the convolutional Extractor (features of the size Domain_classifier expects), one batch each.
    params = types.SimpleNamespace(epochs=2, gamma=10, theta=0.7, use_gpu=False)
    sys.modules["train"] = types.ModuleType("train")
    sys.modules["train"].params = params
    sys.modules["util"] = types.ModuleType("util")
    sys.modules["util"].utils = types.SimpleNamespace(optimizer_scheduler=lambda opt, p: opt)
    models = gt.exec_snippet(__file__, snippet=os.path.join("workspace", "models", "models.py"))

    torch.manual_seed(0)
    feat = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 48 * 4 * 4))
    cls = torch.nn.Sequential(torch.nn.Linear(48 * 4 * 4, 3), torch.nn.LogSoftmax(1))
    dom = models["Domain_classifier"]()
    src = [(torch.randn(5, 1, 2, 2), torch.randint(0, 3, (5,)))]
    tgt = [(torch.randn(5, 1, 2, 2), torch.randint(0, 3, (5,)))]
    nll = torch.nn.NLLLoss()
    all_params = list(feat.parameters()) + list(cls.parameters()) + list(dom.parameters())
    opt = torch.optim.SGD(all_params, lr=0.0)  # lr 0: the step leaves the weights, .grad keeps the gradient
    ns = gt.exec_snippet(__file__)
    ns["train"]("dann", feat, cls, dom, nll, nll, src, tgt, opt, 1)  # epoch 1 of 2: p = 0.5
    got = [p.grad.clone() for p in all_params]

    # Reference: the DANN objective's gradients without any layer: the classifier and domain classifier
    # descend on their losses, the extractor descends on class_loss - constant * theta * domain_loss.
    constant = 2.0 / (1.0 + float(torch.exp(torch.tensor(-params.gamma * 0.5)))) - 1
    x1, y1 = src[0]
    x2, _ = tgt[0]
    f1, f2 = feat(x1), feat(x2)
    class_loss = nll(cls(f1), y1)

    def dom_plain(f):
        return torch.log_softmax(dom.fc2(torch.relu(dom.fc1(f))), 1)

    domain_loss = nll(dom_plain(f2), torch.ones(5, dtype=torch.long)) + nll(dom_plain(f1), torch.zeros(5, dtype=torch.long))
    g_feat_cls = torch.autograd.grad(class_loss, list(feat.parameters()), retain_graph=True)
    g_feat_dom = torch.autograd.grad(domain_loss, list(feat.parameters()), retain_graph=True)
    g_cls = torch.autograd.grad(class_loss, list(cls.parameters()), retain_graph=True)
    g_dom = torch.autograd.grad(params.theta * domain_loss, list(dom.parameters()))
    want = [a - constant * params.theta * b for a, b in zip(g_feat_cls, g_feat_dom)] + list(g_cls) + list(g_dom)
    err = max(gt.rel_err(a, b) for a, b in zip(got, want))
    return err > 1e-4, f"constant {constant:.3g}; max rel. error of the train() gradients against the reversed-extractor objective {err:.2g}"


gt.main()
