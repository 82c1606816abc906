import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-dreamer-value-optimizer-wrong-params"


def _stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod


def get_parameters(modules):
    # as dreamer.utils.module.get_parameters: the parameters of a list of modules
    return [p for m in modules for p in m.parameters()]


# stand-ins for the imports the quoted file makes (rlpyt, tqdm, the repository's utils)
_stub("rlpyt"); _stub("rlpyt.algos"); _stub("rlpyt.utils")
_stub("rlpyt.algos.base", RlAlgorithm=object)
_stub("rlpyt.utils.buffer", buffer_to=lambda x, device=None: x, buffer_method=None)
_stub("tqdm", tqdm=lambda it, desc=None: it)
_stub("dreamer"); _stub("dreamer.utils")
_stub("dreamer.utils.module", get_parameters=get_parameters, FreezeParameters=None)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    lin = lambda: torch.nn.Linear(4, 4)  # noqa: E731
    model = types.SimpleNamespace(observation_encoder=lin(), observation_decoder=lin(), reward_model=lin(),
                                  representation=lin(), transition=lin(), action_decoder=lin(), value_model=lin())
    algo = ns["Dreamer"]()
    algo.agent = types.SimpleNamespace(model=model, device="cpu")
    algo.use_pcont = False
    algo.model_lr = algo.actor_lr = algo.value_lr = 1e-2
    algo.optim_kwargs = {}
    algo.train_steps, algo.grad_clip = 3, 100.0
    algo._batch_size, algo.batch_length = 8, 1
    x = torch.randn(8, 4)
    algo.replay_buffer = types.SimpleNamespace(sample_batch=lambda b, l: x)

    def loss(samples, itr, i):
        feat = model.transition(model.representation(samples))
        model_loss = (model.observation_decoder(feat) - samples).pow(2).mean()
        actor_loss = -model.action_decoder(feat.detach()).mean()
        value_loss = (model.value_model(feat.detach()) - 1.0).pow(2).mean()
        return model_loss, actor_loss, value_loss, None

    algo.loss = loss
    algo.optim_initialize()
    before = [p.detach().clone() for p in model.value_model.parameters()]
    algo.optimize_agent(itr=0)
    moved = max(float((p - b).abs().max()) for p, b in zip(model.value_model.parameters(), before))
    return moved == 0.0, f"value model parameters moved by {moved:.3g} after 3 training steps"


gt.main()
