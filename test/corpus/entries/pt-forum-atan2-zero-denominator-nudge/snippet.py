numerator = torch.randn(10, 10)
numerator[0, 0] = 0.
denominator = torch.randn(10, 10)
denominator[0, 0] = 0.

epsilon = 1e-7
nudge = (denominator == 0) * epsilon
denominator = denominator + nudge
out =  torch.atan2(numerator, denominator)
out.mean().backward()
