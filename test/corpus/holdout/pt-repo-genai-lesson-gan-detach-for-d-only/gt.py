import os, sys, inspect
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-genai-lesson-gan-detach-for-d-only"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    batch = 8
    generator = torch.nn.Sequential(torch.nn.Linear(100, 16), torch.nn.ReLU(), torch.nn.Linear(16, 6), torch.nn.Tanh())
    discriminator = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 1),
                                        torch.nn.Sigmoid())
    criterion = torch.nn.BCELoss()
    worst = {"D": 0.0, "G": 0.0, "steps": 0}

    def watched(opt, net, tag):
        inner = opt.step

        def step(*a, **k):
            frame = inspect.currentframe().f_back
            while frame is not None and "fake_labels" not in frame.f_globals:
                frame = frame.f_back
            ns = frame.f_globals
            if tag == "D":  # d_loss from the same batch and z, D not yet moved
                fake = generator(ns["z"]).detach()
                loss = criterion(discriminator(ns["images"]), ns["real_labels"]) + criterion(discriminator(fake), ns["fake_labels"])
            else:
                loss = criterion(discriminator(generator(ns["z"])), ns["real_labels"])
            ref = torch.autograd.grad(loss, list(net.parameters()))
            for p, r in zip(net.parameters(), ref):
                worst[tag] = max(worst[tag], float((p.grad - r).abs().max()) / (float(r.abs().max()) + 1e-12))
            worst["steps"] += 1
            return inner(*a, **k)

        opt.step = step
        return opt

    opt_d = watched(torch.optim.Adam(discriminator.parameters(), lr=2e-4), discriminator, "D")
    opt_g = watched(torch.optim.Adam(generator.parameters(), lr=2e-4), generator, "G")
    data = [(torch.rand(batch, 6) * 2 - 1, torch.zeros(batch)) for _ in range(3)]
    err = gt.raises(lambda: gt.exec_snippet(__file__, {
        "torch": torch, "num_epochs": 2, "dataloader": data, "batch_size": batch, "criterion": criterion,
        "generator": generator, "discriminator": discriminator, "optimizer_D": opt_d, "optimizer_G": opt_g}))
    if err is not None:
        return True, f"raised {err}"
    bad = worst["D"] > 1e-6 or worst["G"] > 1e-6 or worst["steps"] == 0
    return bad, f"{worst['steps']} steps; largest relative .grad error D {gt.fmt(worst['D'])}, G {gt.fmt(worst['G'])}"


gt.main()
