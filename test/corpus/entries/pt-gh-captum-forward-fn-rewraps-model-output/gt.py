import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def stand_in_learner():
    """An AllenNLP-like learner: a vocabulary, a reader making instances of tokens, and forward_on_instance returning
    NumPy arrays (as AllenNLP's Model.forward_on_instance does), computed from a torch embedding of the tokens."""
    vocab = {"tokens": {i: f"w{i}" for i in range(10)}}
    emb = torch.nn.Embedding(10, 4)
    head = torch.nn.Linear(4, 20)
    index = {v: k for k, v in vocab["tokens"].items()}

    def forward_on_instance(instance):
        ids = torch.tensor([index[t.text] for t in instance])
        return {"intent_probs": torch.softmax(head(emb(ids).mean(0)), -1).detach().numpy()}

    model = types.SimpleNamespace(vocab=types.SimpleNamespace(_index_to_token=vocab), forward_on_instance=forward_on_instance)
    reader = types.SimpleNamespace(text_to_instance=lambda tokens: tokens)
    return types.SimpleNamespace(model=model, dataset_reader=reader)


@gt.case("pt-gh-captum-forward-fn-rewraps-model-output")
def _():
    ns = gt.exec_snippet(__file__, {"learner": stand_in_learner(), "Token": lambda s: types.SimpleNamespace(text=s), "torch": torch, "print": lambda *a: None})
    sample = torch.tensor([[1, 2, 3, 4]])
    out = ns["forward_fn"](sample)
    # What Captum's compute_gradients does with the forward function's output, here for the layer inputs of a
    # LayerIntegratedGradients run (the token ids cannot require grad): the output must have a graph.
    err = gt.raises(lambda: torch.autograd.grad(torch.unbind(out[:, 1]), [torch.zeros(1, 4, requires_grad=True)]))
    return out.grad_fn is None and err is not None, f"forward_fn output grad_fn: {out.grad_fn}; differentiating it raised: {err}"


gt.main()
