import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


def softmax(a):
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class StandIn(torch.nn.Module):
    """A BERT-like classifier: an embedding layer (`bert.embeddings`) and a linear head over the mean embedding."""

    def __init__(self):
        super().__init__()
        self.bert = torch.nn.Module()
        self.bert.embeddings = torch.nn.Embedding(30, 8)
        self.head = torch.nn.Linear(8, 2)

    def forward(self, ids, **kwargs):
        return (self.head(self.bert.embeddings(ids).mean(1)),)


class LayerIntegratedGradients:
    """What Captum's LayerIntegratedGradients does with the forward function, reduced to its gradient step: the
    layer's output is recorded by a forward hook and the forward function's output is differentiated with respect
    to it (captum/_utils/gradient.py, compute_layer_gradients_and_eval: torch.autograd.grad)."""

    def __init__(self, forward_func, layer):
        self.forward_func, self.layer = forward_func, layer

    def attribute(self, inputs, baselines, additional_forward_args=(), return_convergence_delta=False):
        seen = []
        handle = self.layer.register_forward_hook(lambda m, i, o: seen.append(o))
        try:
            out = self.forward_func(inputs, *additional_forward_args)
        finally:
            handle.remove()
        grads = torch.autograd.grad(torch.unbind(torch.as_tensor(out).reshape(-1)), seen[-1])
        return grads[0], torch.zeros(())


@gt.case("pt-gh-captum-lig-forward-func-detach-numpy")
def _():
    model = StandIn()
    names = {
        "predict": lambda ids, **kw: model(ids), "softmax": softmax, "pos": 1, "model": model,
        "LayerIntegratedGradients": LayerIntegratedGradients, "input_ids": torch.randint(0, 30, (1, 5)),
        "ref_input_ids": torch.zeros(1, 5, dtype=torch.long), "token_type_ids": None, "position_ids": None, "attention_mask": None,
    }
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None, f"the attribution's gradient step raised: {err}"


gt.main()
