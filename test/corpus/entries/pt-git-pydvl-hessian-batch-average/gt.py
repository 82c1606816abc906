import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-git-pydvl-hessian-batch-average")
def _():
    # Reproduction of the use_hessian_avg branch with PyTorch 1.13 (torch.func.hessian is PyTorch 2;
    # torch.autograd.functional.hessian of the same flat-parameter batch loss is used): per-batch Hessians of
    # the mean batch loss are summed and divided by len(data_loader). 10 samples, batch size 4 -> 4, 4, 2.
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2).double()
    x_all, y_all = torch.randn(10, 3, dtype=torch.float64), torch.randint(0, 2, (10,))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_all, y_all), batch_size=4)
    loss = torch.nn.functional.cross_entropy
    shapes = [p.shape for p in model.parameters()]
    flat_params = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

    def batch_loss(p, t_x, t_y):
        w, b = p[:6].reshape(shapes[0]), p[6:].reshape(shapes[1])
        return loss(t_x @ w.T + b, t_y)

    hessian = torch.zeros(8, 8, dtype=torch.float64)
    for x, y in iter(loader):
        hessian += torch.autograd.functional.hessian(lambda p: batch_loss(p, x, y), flat_params)
    hessian /= len(loader)

    full = torch.autograd.functional.hessian(lambda p: batch_loss(p, x_all, y_all), flat_params)
    err = gt.rel_err(hessian, full)
    return err > 1e-6, f"batch-averaged Hessian vs Hessian of the dataset's mean loss: rel. err {err:.3g} (batches {[len(b[0]) for b in loader]})"


gt.main()
