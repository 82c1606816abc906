import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


class TinyViT(nn.Module):
    """A stand-in with the attribute the Extractor hooks by default (`transformer`)."""

    def __init__(self):
        super().__init__()
        self.patch = nn.Linear(12, 8)
        self.transformer = nn.Sequential(nn.Linear(8, 8), nn.GELU())
        self.head = nn.Linear(8, 3)

    def forward(self, img):
        x = self.transformer(self.patch(img))
        return self.head(x.mean(1))


@gt.case("pt-gh-coca-vit-extractor-hook-detaches-latents")
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    vit = TinyViT()
    encoder = ns["Extractor"](vit, return_embeddings_only=True)
    text = nn.Linear(8, 8)
    img = torch.randn(2, 5, 12)
    image_embeds = encoder(img)
    text_embeds = text(torch.randn(2, 8))
    # A contrastive-style loss between the image and text embeddings, as CoCa trains them.
    loss = -(image_embeds.mean(1) * text_embeds).sum(-1).mean()
    loss.backward()
    vit_none = all(p.grad is None for p in vit.parameters())
    text_ok = all(p.grad is not None for p in text.parameters())
    return vit_none and text_ok, f"ViT parameters without gradient: {vit_none}; text encoder trained: {text_ok}"


gt.main()
