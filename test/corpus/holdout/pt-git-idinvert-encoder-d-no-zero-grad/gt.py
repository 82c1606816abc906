import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-git-idinvert-encoder-d-no-zero-grad"
# The snippet is run as quoted; its project modules (data set, StyleGAN generator, encoder, perceptual model,
# discriminator) are replaced by tiny CPU stand-ins, and Tensor.cuda() by the identity.
LAYERS, WDIM = 2, 4


class EasyDict(dict):
    def __getattr__(self, k):
        return self[k]


def _net(*mods):
    return types.SimpleNamespace(net=torch.nn.Sequential(*mods))


class Synthesis(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(LAYERS * WDIM, 3 * 4 * 4)

    def forward(self, z):
        return torch.tanh(self.lin(z.reshape(z.shape[0], -1))).view(-1, 3, 4, 4)


DISCRIMINATOR = {}


def _stubs():
    mods = {}
    for name in ["datasets", "datasets.celebahq", "models", "models.stylegan_generator", "models.stylegan_encoder",
                 "models.perceptual_model", "models.stylegan_discriminator", "training", "training.misc"]:
        mods[name] = sys.modules[name] = types.ModuleType(name)
    g = torch.Generator().manual_seed(1)
    data = [torch.rand(3, 4, 4, generator=g) * 2 - 1 for _ in range(12)]
    mods["datasets.celebahq"].CelebaHQ = lambda args, train=True: data
    mods["models.stylegan_generator"].StyleGANGenerator = lambda *a, **k: types.SimpleNamespace(
        net=types.SimpleNamespace(synthesis=Synthesis()), min_val=-1.0, max_val=1.0, num_layers=LAYERS, w_space_dim=WDIM)
    mods["models.stylegan_encoder"].StyleGANEncoder = lambda *a, **k: _net(torch.nn.Flatten(), torch.nn.Linear(48, LAYERS * WDIM))
    mods["models.perceptual_model"].PerceptualModel = lambda *a, **k: _net(torch.nn.Conv2d(3, 2, 3, padding=1), torch.nn.Tanh())

    def make_d(*a, **k):
        d = _net(torch.nn.Flatten(), torch.nn.Linear(48, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
        DISCRIMINATOR["d"] = d
        return d

    mods["models.stylegan_discriminator"].StyleGANDiscriminator = make_d
    mods["training.misc"].EasyDict = EasyDict


class CheckedAdam(torch.optim.Adam):
    """Adam that checks, at every step, that each .grad is the gradient of the backward passes since the last
    zero_grad() or step() (an optimizer step should apply only the gradients computed since it last cleared)."""

    instances = []

    def __init__(self, params, **kw):
        params = list(params)
        super().__init__(params, **kw)
        self.watched = params
        self.fresh = [torch.zeros_like(p) for p in params]
        self.steps = self.stale = 0
        self.worst = 0.0
        for i, p in enumerate(params):
            p.register_hook(self._hook(i))
        CheckedAdam.instances.append(self)

    def _hook(self, i):
        def hook(g):
            self.fresh[i] = self.fresh[i] + g.detach()
        return hook

    def zero_grad(self, *a, **k):
        self.fresh = [torch.zeros_like(p) for p in self.watched]
        return super().zero_grad(*a, **k)

    def step(self, closure=None):
        self.steps += 1
        diff = 0.0
        for p, f in zip(self.watched, self.fresh):
            g = p.grad if p.grad is not None else torch.zeros_like(p)
            diff = max(diff, float((g - f).abs().max()) / (float(f.abs().max()) + 1e-12))
        self.stale += diff > 1e-6
        self.worst = max(self.worst, diff)
        self.fresh = [torch.zeros_like(p) for p in self.watched]
        return super().step(closure)


@gt.case(CASE)
def _():
    _stubs()
    cuda, adam = torch.Tensor.cuda, torch.optim.Adam
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.optim.Adam = CheckedAdam
    try:
        ns = gt.exec_snippet(__file__)
        torch.manual_seed(0)
        lr = EasyDict(learning_rate=1e-3, decay_rate=0.9, decay_step=1000)
        ns["training_loop"](EasyDict(train_batch_size=4, test_batch_size=4, model_name="m", gpu_ids=None, cuda=False),
                            E_lr_args=lr, D_lr_args=lr, opt_args=EasyDict(),
                            E_loss_args=EasyDict(loss_pix_weight=1.0, loss_feat_weight=1.0, loss_adv_weight=0.1),
                            D_loss_args=EasyDict(loss_real_weight=1.0, loss_fake_weight=1.0, loss_gp_weight=5.0, loss_ep_weight=0.001),
                            max_epoch=2)
    finally:
        torch.Tensor.cuda, torch.optim.Adam = cuda, adam
    d_params = {id(p) for p in DISCRIMINATOR["d"].net.parameters()}
    opt_d = [o for o in CheckedAdam.instances if {id(p) for p in o.watched} == d_params][-1]
    return opt_d.stale > 0, (f"optimizer_D: {opt_d.stale} of {opt_d.steps} steps applied a .grad other than the gradient "
                             f"of the backward passes since its last clear (largest relative difference {opt_d.worst:.4g})")


gt.main()
