wi = wi[0]  # [L, C, k, k]
max_wi = torch.max(torch.sqrt(reduce_sum(torch.pow(wi, 2),
                                         axis=[1, 2, 3],
                                         keepdim=True)),
                   escape_NaN)
