import torch
from .lazy_tensor import LazyTensor


class CachedCGLazyTensor(LazyTensor):
    """
    A LazyTensor wrapper that eagerly computes many CG calls in batch.
    This maximizes CG parallelism for fast inference.
    Used primarily for variational inference with GPs.
    """
    ...

    def __init__(
        self, base_lazy_tensor, eager_rhss=[], solves=[], probe_vectors=torch.tensor([]),
        probe_vector_norms=torch.tensor([]), probe_vector_solves=torch.tensor([]), probe_vector_tmats=torch.tensor([])
    ):
        super(CachedCGLazyTensor, self).__init__(
            base_lazy_tensor, eager_rhss=eager_rhss, solves=solves, probe_vectors=probe_vectors,
            probe_vector_norms=probe_vector_norms, probe_vector_solves=probe_vector_solves,
            probe_vector_tmats=probe_vector_tmats,
        )
        self.base_lazy_tensor = base_lazy_tensor
        self.eager_rhss = [eager_rhs.detach_().requires_grad_(False) for eager_rhs in eager_rhss]
        self.solves = [solve.detach_().requires_grad_(False) for solve in solves]
        self.probe_vectors = probe_vectors.detach_().requires_grad_(False)
        self.probe_vector_norms = probe_vector_norms.detach_().requires_grad_(False)
        self.probe_vector_solves = probe_vector_solves.detach_().requires_grad_(False)
        self.probe_vector_tmats = probe_vector_tmats.detach_().requires_grad_(False)
