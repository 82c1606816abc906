import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-lightning-eval-forces-inference-mode")
def _():
    # The issue elides the rest of pred_energy_and_force (energy from the GNN, force = -dE/dpos); the smallest
    # faithful continuation: an energy model of the positions and the force as its negative input gradient.
    L = gt.lightning_stand_in()
    ns = gt.exec_snippet(__file__, {"pl": L, "torch": torch})
    MD17Model = ns["MD17Model"]
    net = gt.mlp(3, 1)

    def pred_energy_and_force(self, graph):
        graph.pos = torch.autograd.Variable(graph.pos, requires_grad=True)
        energy = net(graph.pos).sum()
        force = -torch.autograd.grad(energy, graph.pos, create_graph=self.training)[0]
        return energy, force

    # keep the snippet's decorator: torch.enable_grad() around the continuation
    MD17Model.pred_energy_and_force = torch.enable_grad()(pred_energy_and_force)

    class Module(MD17Model):
        def validation_step(self, graph, i):
            return self(graph)

    def batch():
        return types.SimpleNamespace(x=torch.randn(5, 4, dtype=torch.float64), pos=torch.randn(5, 3, dtype=torch.float64))

    module = Module()
    train_ok = gt.raises(lambda: module(batch())) is None
    err = gt.raises(lambda: L.Trainer().validate(module, [batch()]))
    ok_without = gt.raises(lambda: L.Trainer(inference_mode=False).validate(module, [batch()])) is None
    return err is not None and train_ok, (f"forward in training: {'ok' if train_ok else 'fails'}; validate under inference_mode "
                                         f"(Trainer default): {err}; with inference_mode=False: {'ok' if ok_without else 'fails'}")


gt.main()
