import torch
import torch.nn.functional as F
from nflows import transforms, distributions, flows

def main():
    flow = flows.MaskedAutoregressiveFlow(
        features=1,
        hidden_features=16,
        num_layers=1,
        num_blocks_per_layer=2,
        use_residual_blocks=False,
        use_random_masks=False,
        use_random_permutations=False,
        activation=F.elu,
        dropout_probability=0.0,
        batch_norm_within_layers=False,
        batch_norm_between_layers=False,
    )

    x = torch.tensor([[1.]])
    p = flow.log_prob(x)
    p.backward()
    print (x.grad)

if __name__ == '__main__':
    main()
