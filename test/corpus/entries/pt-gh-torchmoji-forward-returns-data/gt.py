import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


class TinyMoji(nn.Module):
    """Reproduction of the forward's return format (the quoted forward elides the network): an embedding and
    a linear output layer, returning `outputs.data` when the input is a LongTensor, as model_def.py does."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.embed = nn.Embedding(20, 8)
        self.output_layer = nn.Linear(8, 2)

    def forward(self, input_seqs):
        return_tensor = isinstance(input_seqs, torch.LongTensor)
        outputs = self.output_layer(self.embed(input_seqs).mean(1))
        if return_tensor:
            outputs = outputs.data
        return outputs


@gt.case("pt-gh-torchmoji-forward-returns-data")
def _():
    model = TinyMoji()
    x = torch.randint(0, 20, (6, 5))
    y = torch.randint(0, 2, (6,))
    loss = nn.CrossEntropyLoss()(model(x), y)
    err = gt.raises(lambda: loss.backward())
    wrapped = loss.detach().clone().requires_grad_(True)   # the asker's Variable(loss, requires_grad=True)
    wrapped.backward()
    no_grads = all(p.grad is None for p in model.parameters())
    return err is not None and "does not require grad" in err and no_grads, f"backward raised {err}; after wrapping the loss, every parameter's .grad None: {no_grads}"


gt.main()
