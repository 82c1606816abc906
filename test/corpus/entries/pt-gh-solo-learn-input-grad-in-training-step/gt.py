import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-solo-learn-input-grad-in-training-step")
def _():
    # The quoted lines inside a training step, as the issue describes: the input gradient of the loss is
    # "processed by some other functions and added into the loss", and Lightning then calls loss.backward().
    # Most favourable context: the input already requires grad when the loss is built.
    model = gt.mlp(4, 3)
    model_input = torch.randn(8, 4, dtype=torch.float64, requires_grad=True)
    target = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    loss = torch.nn.functional.cross_entropy(model(model_input), target)
    ns = gt.exec_snippet(__file__, {"torch": torch, "model": model, "model_input": model_input, "loss": loss})
    total = ns["loss"] + 0.1 * ns["grads"].pow(2).sum()
    err = gt.raises(lambda: total.backward())
    # even with the graph kept, the gradient term carries no graph (no create_graph): it cannot train the weights
    loss2 = torch.nn.functional.cross_entropy(model(model_input), target)
    g2 = torch.autograd.grad(loss2, model_input, retain_graph=True)[0]
    return err is not None, f"loss + f(grads) .backward(): {err}; grads.requires_grad with the graph retained: {g2.requires_grad}"


gt.main()
