import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-simsiam-negcos-z-detached"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    backbone = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 32))
    backbone.output_dim = 32
    model = ns["SimSiam"](backbone=backbone)
    x1, x2 = torch.randn(8, 3, 2, 2), torch.randn(8, 3, 2, 2)
    # The stop-gradient: the loss sends nothing back through its z argument (the target side) ...
    p = torch.randn(8, 2048, requires_grad=True)
    z = torch.randn(8, 2048, requires_grad=True)
    gp, gz = torch.autograd.grad(ns["D"](p, z), [p, z], allow_unused=True)
    z_flow = 0.0 if gz is None else float(gz.abs().max())
    # ... while the symmetric SimSiam loss still trains the encoder and the predictor through p.
    model.forward(x1, x2)["loss"].backward()
    enc = gt.norm_of([q.grad for q in model.encoder.parameters() if q.grad is not None])
    pred = gt.norm_of([q.grad for q in model.predictor.parameters() if q.grad is not None])
    misbehaves = z_flow > 0 or enc == 0 or pred == 0
    return misbehaves, (f"gradient of D(p, z) w.r.t. z: {z_flow:.3g} (w.r.t. p: {float(gp.abs().max()):.3g}); "
                        f"loss gradient norm on the encoder {enc:.3g}, on the predictor {pred:.3g}")


gt.main()
