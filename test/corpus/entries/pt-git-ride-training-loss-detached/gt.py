import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-git-ride-training-loss-detached")
def _():
    # The Lifecycle methods as they were before the fix; Lightning's LightningModule.log and the metric mixin are
    # stand-ins (Lightning is not installed). training_step's returned dict is what Lightning backpropagates.
    class LightningModule:
        @staticmethod
        def log(self, **kwargs):
            pass

    ns = gt.exec_snippet(__file__, {"MetricMixin": object, "LightningModule": LightningModule,
                                    "supers": lambda obj: types.SimpleNamespace(on_traning_epoch_start=lambda e: None)})
    model = gt.mlp(4, 3)

    class Module(ns["Lifecycle"]):
        hparams = types.SimpleNamespace(optimization_metric="loss")
        _sync_dist = False
        _epoch = 0

        def collect_metrics(self, preds, targets):
            return {"loss": torch.nn.functional.cross_entropy(preds, targets)}

        def preprocess_batch(self, batch):
            return batch

        def forward(self, x):
            return model(x)

    batch = (torch.randn(8, 4, dtype=torch.float64), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1]))
    out = Module().training_step(batch, batch_idx=1)
    loss = out["loss"]
    err = gt.raises(lambda: loss.backward())
    return (not loss.requires_grad) and err is not None, f"returned loss requires_grad={loss.requires_grad}; loss.backward(): {err}"


gt.main()
