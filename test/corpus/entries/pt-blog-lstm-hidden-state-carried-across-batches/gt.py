import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-lstm-hidden-state-carried-across-batches"


class Lm(torch.nn.Module):
    """The author's module: lstm(x, h0, c0) -> (output, (h, c)), output in embedding_dim."""

    def __init__(self, embedding_dim, hidden_dim, num_layers):
        super().__init__()
        self.rnn = torch.nn.LSTM(embedding_dim, hidden_dim, num_layers, batch_first=True)
        self.out = torch.nn.Linear(hidden_dim, embedding_dim)

    def forward(self, x, h0, c0):
        y, (h, c) = self.rnn(x, (h0, c0))
        return self.out(y), (h, c)


def names():
    torch.manual_seed(0)
    embedding_dim, hidden_dim, num_layers, batch_size, seq = 6, 8, 1, 4, 5
    lstm = Lm(embedding_dim, hidden_dim, num_layers)
    data_loader = [(torch.randn(batch_size, seq, embedding_dim), torch.randn(batch_size * seq, embedding_dim))
                   for _ in range(4)]
    return {
        "torch": torch,
        "EPOCH": 1,
        "num_layers": num_layers,
        "batch_size": batch_size,
        "hidden_dim": hidden_dim,
        "embedding_dim": embedding_dim,
        "lstm": lstm,
        "data_loader": data_loader,
        "batch_count": len(data_loader),
        "loss_fn": torch.nn.MSELoss(),
        "optimizer": torch.optim.Adam(lstm.parameters(), lr=1e-3),
    }


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, names()))
    return err is not None, f"quoted loop with the carried hidden state: {err or 'ran'}"


gt.main()
