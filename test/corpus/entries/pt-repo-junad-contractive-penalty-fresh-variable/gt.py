import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


CASE = "pt-repo-junad-contractive-penalty-fresh-variable"


class TinyVAE(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = torch.nn.Linear(6, 4)
        self.mu = torch.nn.Linear(4, 2)
        self.logvar = torch.nn.Linear(4, 2)
        self.dec = torch.nn.Linear(2, 6)

    def forward(self, x):
        h = torch.tanh(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        return torch.sigmoid(self.dec(mu)), mu, logvar


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = TinyVAE().double()
    data = torch.rand(5, 6, dtype=torch.float64)
    loader = [(data, torch.zeros(5))]
    ns = gt.exec_snippet(__file__, {"torch": torch})
    # as quoted: the loop's call
    err_loop = gt.raises(lambda: ns["train_cvae"](model, loader, "cpu", num_epoch=1))
    # the loss lines with gamma supplied (the nested loss_function is not reachable from outside; same lines)
    jacobian = lambda inputs, outputs: torch.stack(  # noqa: E731
        [torch.autograd.grad([outputs[:, i].sum()], [inputs], retain_graph=True, create_graph=True)[0]
         for i in range(outputs.size(1))], dim=-1)
    recon, mu, logvar = model(data)
    x_var = torch.autograd.Variable(data, requires_grad=True)
    err_pen = gt.raises(lambda: jacobian(x_var, mu))
    return err_pen is not None, f"loop as quoted: {err_loop}; penalty w.r.t. the fresh Variable: {err_pen}"


gt.main()
