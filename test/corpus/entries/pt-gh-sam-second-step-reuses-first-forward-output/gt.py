import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


class SAM(torch.optim.Optimizer):
    """Minimal sharpness-aware minimization in the interface of davda54/sam: first_step moves the weights
    to w + e(w) in place, second_step moves them back and takes the base optimizer's step."""

    def __init__(self, params, base_optimizer, rho=0.05, **kwargs):
        super().__init__(params, dict(rho=rho, **kwargs))
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)

    @torch.no_grad()
    def first_step(self, zero_grad=False):
        norm = torch.norm(torch.stack([p.grad.norm(2) for g in self.param_groups for p in g["params"] if p.grad is not None]), 2)
        for group in self.param_groups:
            scale = group["rho"] / (norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                e_w = p.grad * scale
                p.add_(e_w)
                self.state[p]["e_w"] = e_w
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad=False):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.sub_(self.state[p]["e_w"])
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()


@gt.case("pt-gh-sam-second-step-reuses-first-forward-output")
def _():
    model = gt.mlp(4, 3)
    images = torch.randn(8, 4, dtype=torch.float64)
    target = torch.randint(0, 3, (8,))
    optimizer = SAM(model.parameters(), torch.optim.SGD, lr=0.1, momentum=0.9)
    names = {"model": model, "images": images, "target": target,
             "criterion": torch.nn.CrossEntropyLoss(), "optimizer": optimizer}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None, f"second criterion(output, target).backward() on the first forward's output: {err}"


gt.main()
