import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-gradcam-eval-mode-input-gradients-ok")
def _():
    # grad_cam.py of the repository (workspace copy) as the module main.py imports.
    mod = types.ModuleType("grad_cam")
    mod.__dict__.update(gt.exec_snippet(__file__, {}, snippet=os.path.join("workspace", "grad_cam.py")))
    sys.modules["grad_cam"] = mod
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.BatchNorm2d(4), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.AdaptiveAvgPool2d(2), torch.nn.Flatten(), torch.nn.Linear(16, 5)).double()
    images = [torch.rand(3, 8, 8, dtype=torch.float64) for _ in range(2)]
    saved = []
    ns = gt.exec_snippet(__file__, {
        "torch": torch, "osp": os.path, "get_device": lambda cuda: torch.device("cpu"),
        "get_classtable": lambda: [f"c{k}" for k in range(5)],
        "models": types.SimpleNamespace(tiny=lambda pretrained: net),
        "load_images": lambda paths: (images, None),
        "save_gradient": lambda filename, gradient: saved.append(gradient.clone()),
    })
    topk = 3
    ns["demo1"](["a", "b"], None, "tiny", topk, "/tmp", False)
    # Reference: per-image gradient of the chosen logit with a fresh input, model in eval mode.
    x = torch.stack(images).clone().requires_grad_()
    logits = net(x)
    ids = torch.softmax(logits, 1).sort(dim=1, descending=True)[1]
    worst = 0.0
    for i in range(topk):
        for j in range(len(images)):
            ref = torch.autograd.grad(logits[j, ids[j, i]], x, retain_graph=True)[0][j]
            worst = max(worst, gt.rel_err(saved[i * len(images) + j], ref))
    return worst > 1e-9, f"eval() model, {topk} classes x {len(images)} images: max rel. err of saliency vs autograd.grad {worst:.2g}; net.training={net.training}"


gt.main()
