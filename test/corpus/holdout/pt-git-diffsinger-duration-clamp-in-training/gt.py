import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-git-diffsinger-duration-clamp-in-training"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = ns["DurationPredictor"](in_dims=8, n_layers=2, n_chans=16, dropout_rate=0.0, offset=1.0)
    store = {}

    def hook(m, i, o):
        o.retain_grad()
        store["log_dur"] = o

    model.linear.register_forward_hook(hook)
    B, T = 4, 12
    xs = torch.randn(B, T, 8)
    masks = torch.zeros(B, T, dtype=torch.bool)
    dur_gt = torch.randint(1, 6, (B, T)).float()
    dur_pred = model(xs, x_masks=masks, infer=False)  # training path
    # The pdur term of the repository's DurationLoss: MSE in log domain, log(dur + offset).
    loss = torch.nn.functional.mse_loss(torch.log(dur_pred + 1.0), torch.log(dur_gt + 1.0))
    loss.backward()
    g = store["log_dur"].grad.squeeze(-1)
    dead = ((g == 0) & (dur_pred.detach() == 0)).sum().item()
    return dead > 0, (f"{dead} of {B * T} positions predict duration 0 (clamped) against targets of 1..5 frames and get "
                      f"exactly zero gradient: torch.clamp(min=0) in the training path blocks their update")


gt.main()
