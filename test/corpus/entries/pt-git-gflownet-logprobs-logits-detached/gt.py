import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

# torchtyping's TensorType is only an annotation here.
torchtyping = types.ModuleType("torchtyping")
torchtyping.TensorType = type("TensorType", (), {"__class_getitem__": classmethod(lambda cls, item: cls)})
sys.modules["torchtyping"] = torchtyping


@gt.case("pt-git-gflownet-logprobs-logits-detached")
def _():
    ns = gt.exec_snippet(__file__)
    env = ns["GFlowNetEnv"]()
    env.action_space = [(0,), (1,), (2,)]
    env.logsoftmax = torch.nn.LogSoftmax(dim=1)  # as in GFlowNetEnv.__init__
    torch.manual_seed(0)
    policy = torch.nn.Linear(4, 3)
    logZ = torch.nn.Parameter(torch.zeros(()))
    states = torch.randn(5, 4)
    actions = torch.tensor([[0], [2], [1], [1], [0]])
    logprobs = env.get_logprobs(policy(states), actions)
    loss = (logZ + logprobs.sum() - 1.0) ** 2  # trajectory balance with log R = 1
    loss.backward()
    g = policy.weight.grad
    norm = 0.0 if g is None else float(g.norm())
    return norm == 0.0, f"policy weight gradient norm {gt.fmt(norm)} (log Z gradient {gt.fmt(float(logZ.grad))})"


gt.main()
