escape_NaN = torch.FloatTensor([1e-4])
if self.use_cuda:
    escape_NaN = escape_NaN.cuda()
wi = wi[0]  # [L, C, k, k]
max_wi = torch.max(torch.sqrt(reduce_sum(torch.pow(wi, 2),
                                         axis=[1, 2, 3],
                                         keepdim=True)),
                   escape_NaN)
wi_normed = wi / max_wi
