class Net(nn.Module):
    def __init__(self):
        super(Net,self).__init__()
        self.embedding = nn.Embedding(1000, 8)
        self.fc = nn.Linear(100, 2)

    def forward(self, x_wide, x_deep, x_dense):
        x_wide = self.embedding(x_wide.long())
        x_wide = x_wide.view(-1, 64)
        x_deep = self.embedding(x_deep.long())
        x_deep = x_deep.view(-1, 32)

        X = torch.cat([x_wide,x_deep,x_dense], dim=1)
        logits = self.fc(X)
        target_classes = torch.argmax(logits, dim=1, keepdim=True)
        probabilites = torch.nn.functional.softmax(logits, dim=1)

        return {"logits":logits,
                "target_classes": target_classes,
                "probabilites": probabilites}
