def forward(self, x, eps=1e-8):
    x = self.h1(x)
    x = F.sigmoid(x)
    m = torch.distributions.Bernoulli(x)
    a = m.sample()
    eligibility = m.log_prob(a)
    a = a.data
    x = x + eps
    entropy = - (x * x.log()).sum(1).sum()
    return eligibility, a, entropy
