"""Ground truth for pt-repo-yolov5-classify-val-smart-inference-mode-loss-logged: the workspace's smart_inference_mode
(check_version for torch >= 1.9) decorates the snippet's run, executed on a small classifier and a two-batch loader
with a cross-entropy criterion: it returns the accuracies and a loss without a graph, without error."""
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-yolov5-classify-val-smart-inference-mode-loss-logged"


@gt.case(CASE)
def _():
    src = open(os.path.join(HERE, "workspace", "utils", "torch_utils.py")).read().replace("from utils.general import check_version\n", "")
    tu = types.ModuleType("utils.torch_utils")
    tu.__dict__["check_version"] = lambda current, minimum: tuple(int(p) for p in current.split("+")[0].split(".")[:2]) >= (1, 9)
    exec(compile(src, "torch_utils.py", "exec"), tu.__dict__)
    tu.select_device = lambda *a, **k: torch.device("cpu")
    utils = types.ModuleType("utils")
    utils.torch_utils = tu
    tqdm_mod = types.ModuleType("tqdm")
    tqdm_mod.tqdm = lambda it, *a, **k: it
    sys.modules.update({"utils": utils, "utils.torch_utils": tu, "tqdm": tqdm_mod})
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 7))
    loader = [(torch.rand(4, 6), torch.randint(0, 7, (4,))) for _ in range(2)]
    out = []
    err = gt.raises(lambda: out.append(ns["run"](model=model, dataloader=loader, criterion=nn.CrossEntropyLoss())))
    ok = err is None and not out[0][2].requires_grad
    return not ok, f"error: {err or 'none'}; top1/top5 {out[0][:2] if out else None}; loss requires grad: {out[0][2].requires_grad if out else None}"


gt.main()
