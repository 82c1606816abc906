x = torch.tensor([1., 2.], requires_grad = True).view(-1,1)
t = torch.tensor([0.1, 0.2], requires_grad = True).view(-1,1)
print('x: ',x)
print('t: ',t)

class Model(torch.nn.Module):
    def __init__(self) -> None:
        super(Model,self).__init__()
        self.layer01 = torch.nn.Linear(2,1)
    
    def forward(self,x,t):
        inputs = torch.cat([x,t], axis=1)
        output = torch.sigmoid(self.layer01(inputs))
        return output

model = Model()
model.state_dict()

u = model(x,t)

u_x  = torch.autograd.grad(outputs=u, 
                           inputs=x,
                           create_graph=True,
                           # Not sure when we may need 'retain_graph', maybe between epochs
                           #retain_graph=True,
                           grad_outputs=torch.ones_like(u)
                           )[0]
print(u_x)
