import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-release-rl-loss-detach-numpy"


@gt.case(CASE)
def _():
    # reproduction of the policy-gradient loop around the line (release/reinforcement.py): a small
    # policy gives log-probabilities over 5 symbols; the quoted line accumulates the loss
    policy = gt.mlp(3, 5, dtype=torch.float32)
    ns = {"rl_loss": 0}
    for p in range(4):
        log_probs = torch.log_softmax(policy(torch.rand(1, 3)), dim=1)
        top_i = int(torch.multinomial(log_probs.exp().view(-1), 1))
        ns.update(log_probs=log_probs, top_i=top_i, discounted_reward=0.9 ** p)
        ns = gt.exec_snippet(__file__, ns)
    rl_loss = ns["rl_loss"] / 4
    connected = isinstance(rl_loss, torch.Tensor) and rl_loss.grad_fn is not None
    err = gt.raises(lambda: rl_loss.backward())
    no_grads = all(q.grad is None for q in policy.parameters())
    return (not connected) and no_grads, (f"rl_loss is {type(rl_loss).__name__}, connected to the policy: {connected}; "
                                          f"rl_loss.backward() raised {err}; every policy .grad None: {no_grads}")


gt.main()
