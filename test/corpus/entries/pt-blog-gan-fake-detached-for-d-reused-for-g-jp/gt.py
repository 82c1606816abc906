import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-gan-fake-detached-for-d-reused-for-g-jp"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    latent_d, batch_size = 4, 8
    G = torch.nn.Sequential(torch.nn.Linear(latent_d, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    D = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 1))
    loader = [(torch.randn(batch_size, 3), torch.zeros(batch_size)) for _ in range(3)]
    g_before = [p.detach().clone() for p in G.parameters()]
    names = {
        "torch": torch, "D": D, "G": G, "tqdm": lambda it, **kw: it, "num_epochs": 1, "train_loader": loader,
        "device": "cpu", "real_label": 1.0, "fake_label": 0.0, "batch_size": batch_size, "latent_d": latent_d,
        "loss_func": torch.nn.BCEWithLogitsLoss(),
    }
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    if err is not None:
        return True, f"quoted loop raised {err}"
    g_moved = max(float((p.detach() - b).abs().max()) for p, b in zip(G.parameters(), g_before))
    # the discriminator's step on fake.detach() must leave G without gradient
    z = torch.randn(batch_size, latent_d)
    fake = G(z)
    for p in G.parameters():
        p.grad = None
    torch.nn.BCEWithLogitsLoss()(D(fake.detach()), torch.zeros(batch_size, 1)).backward()
    leaked = any(p.grad is not None for p in G.parameters())
    return leaked or g_moved == 0.0, (
        f"3 batches without error; G moved by {g_moved:.3g}; D-step gradient reached G: {leaked}"
    )


gt.main()
