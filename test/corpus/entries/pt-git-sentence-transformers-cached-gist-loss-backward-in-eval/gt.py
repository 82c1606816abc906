"""Ground truth for pt-git-sentence-transformers-cached-gist-loss-backward-in-eval: the snippet's CachedGISTEmbedLoss run as written, its imports of sentence_transformers and
tqdm replaced by stand-ins (neither is installed here): the model and the guide are small modules whose first
element is the stand-in Transformer class and which map input_ids to a 'sentence_embedding'. The loss is computed
under torch.no_grad(), as transformers' Trainer.prediction_step computes it in evaluation, and with recording on."""
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-sentence-transformers-cached-gist-loss-backward-in-eval"


class Transformer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(6, 4)

    def forward(self, features):
        return {"sentence_embedding": self.lin(features["input_ids"].float())}


class Model(torch.nn.Sequential):
    tokenizer = types.SimpleNamespace(vocab={"a": 0})
    max_seq_length = 8


@gt.case(CASE)
def _():
    st = types.ModuleType("sentence_transformers")
    st.SentenceTransformer = Model
    models = types.ModuleType("sentence_transformers.models")
    models.Transformer = Transformer
    tq = types.ModuleType("tqdm")
    tq.trange = lambda *a, **k: range(*a)
    for name, mod in (("sentence_transformers", st), ("sentence_transformers.models", models), ("tqdm", tq)):
        sys.modules.setdefault(name, mod)
    ns = gt.exec_snippet(__file__, {})
    loss_fn = ns["CachedGISTEmbedLoss"](model=Model(Transformer()), guide=Model(Transformer()), mini_batch_size=2)
    feats = [{"input_ids": torch.randint(0, 5, (4, 6))} for _ in range(2)]
    with_grad = float(loss_fn(feats, None))
    box = {}
    with torch.no_grad():
        err = gt.raises(lambda: box.setdefault("v", float(loss_fn(feats, None))))
    same = "v" in box and abs(box["v"] - with_grad) < 1e-6
    return err is not None or not same, f"loss under no_grad: {err or gt.fmt(box['v'])}; with recording on {gt.fmt(with_grad)}"


gt.main()
