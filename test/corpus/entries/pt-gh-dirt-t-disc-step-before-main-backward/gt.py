import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
from torch import nn


@gt.case("pt-gh-dirt-t-disc-step-before-main-backward")
def _():
    # The snippet's update order on the CPU (its .cuda() calls dropped, VAT/entropy terms left out): the domain
    # loss goes through feature_discriminator, whose weights optimizer_disc.step() changes in place before
    # loss_main.backward().
    torch.manual_seed(0)
    classifier = nn.Sequential(nn.Linear(8, 6), nn.ReLU())
    head = nn.Linear(6, 3)
    feature_discriminator = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 1))
    sigmoid_xent = nn.BCEWithLogitsLoss(reduction='mean')
    xent = nn.CrossEntropyLoss(reduction='mean')
    optimizer_cls = torch.optim.Adam(list(classifier.parameters()) + list(head.parameters()), lr=1e-3)
    optimizer_disc = torch.optim.Adam(feature_discriminator.parameters(), lr=1e-3)
    images_source, images_target = torch.randn(4, 8), torch.randn(4, 8)
    labels_source = torch.tensor([0, 1, 2, 0])
    dw, cw = 1e-2, 1

    def iteration(disc_first):
        feats_source = classifier(images_source); pred_source = head(feats_source)
        feats_target = classifier(images_target)
        real_logit_disc = feature_discriminator(feats_source.detach())
        fake_logit_disc = feature_discriminator(feats_target.detach())
        loss_disc = 0.5 * (sigmoid_xent(real_logit_disc, torch.ones_like(real_logit_disc)) +
                           sigmoid_xent(fake_logit_disc, torch.zeros_like(fake_logit_disc)))
        loss_src_class = xent(pred_source, labels_source)
        if not disc_first:  # the fix from the thread: update the discriminator before building the domain loss
            optimizer_disc.zero_grad(); loss_disc.backward(); optimizer_disc.step()
        real_logit = feature_discriminator(feats_source)
        fake_logit = feature_discriminator(feats_target)
        loss_domain = 0.5 * (sigmoid_xent(real_logit, torch.zeros_like(real_logit)) +
                             sigmoid_xent(fake_logit, torch.ones_like(fake_logit)))
        loss_main = dw * loss_domain + cw * loss_src_class
        if disc_first:
            optimizer_disc.zero_grad(); loss_disc.backward(); optimizer_disc.step()
        optimizer_cls.zero_grad()
        loss_main.backward()
        optimizer_cls.step()

    err = gt.raises(lambda: iteration(True))
    fixed = gt.raises(lambda: iteration(False))
    return err is not None and "inplace" in err and fixed is None, f"as quoted: {err}; discriminator step moved first: {fixed}"


gt.main()
