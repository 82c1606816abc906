import torch
W_h = torch.tensor(2.0, requires_grad=True)
w_h = W_h.detach().item()
W_y = torch.tensor(40.0, requires_grad=True)
w_y = W_y.detach().item()
H0 = torch.tensor(0.5, requires_grad=False)
h0 = H0.item()
H1_raw = W_h * H0
h1_raw = H1_raw.item()
H1 = torch.tanh(H1_raw)
h1 = H1.detach().item()
H2_raw = W_h * H1
h2_raw = H2_raw.detach().item()
H2 = torch.tanh(H2_raw)
Y2 = W_y * H2
h2 = H2.detach().item()
Y2.backward()
