import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-deblurganv2-discriminators-never-stepped"


def small_disc():
    return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.LeakyReLU(0.2),
                               torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 1))


@gt.case(CASE)
def _():
    # The quoted Continue_train_WGAN runs unchanged on the CPU: .cuda() is made the identity, small
    # convolutional networks stand in for utils.create_generator/create_discriminator/create_perceptualnet,
    # and train_loader is four batches of 8x8 images.
    torch.manual_seed(0)
    cuda_t, cuda_m = torch.Tensor.cuda, torch.nn.Module.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.nn.Module.cuda = lambda self, *a, **k: self
    try:
        nets = {}

        def make(kind):
            net = torch.nn.Conv2d(3, 3, 3, padding=1) if kind != "disc" else small_disc()
            nets.setdefault(kind, []).append(net)
            for q in net.parameters():
                _INIT[id(q)] = q.detach().clone()
            return net

        utils = SimpleNamespace(create_generator=lambda opt: make("gen"),
                                create_discriminator=lambda opt: make("disc"),
                                create_perceptualnet=lambda opt: make("percep"))
        opt = SimpleNamespace(lr=1e-2, b1=0.5, b2=0.999, weight_decay=0.0, epochs=1, crop_size=8, patch_size=4,
                              lambda_l1=1.0, lambda_percep=1.0, lambda_gan=0.1)
        loader = [(torch.randn(2, 3, 8, 8), torch.randn(2, 3, 8, 8)) for _ in range(4)]
        ns = gt.exec_snippet(__file__, {"utils": utils, "train_loader": loader})
        ns["Continue_train_WGAN"](opt)
    finally:
        torch.Tensor.cuda, torch.nn.Module.cuda = cuda_t, cuda_m
    return _verdict(nets)


_INIT = {}


def _verdict(nets):
    discs, gen = nets["disc"], nets["gen"][0]
    d_moved = max(float((p - _INIT[id(p)]).abs().max()) for d in discs for p in d.parameters())
    g_moved = max(float((p - _INIT[id(p)]).abs().max()) for p in gen.parameters())
    return d_moved == 0.0 and g_moved > 0.0, f"after 4 iterations: max |change| of the discriminators' weights {d_moved:.3g}, of the generator's {g_moved:.3g}"


gt.main()
