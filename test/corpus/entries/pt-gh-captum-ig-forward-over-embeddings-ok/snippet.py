def forward(x_cat, x_cont):
        # x = [e(x_cat[:, i]) for i, e in enumerate(self.embeddings)]
        # x = torch.cat(x, 1)
        x = x_cat
        x = model.emb_drop(x)
        x2 = model.bn1(x_cont)
        x = torch.cat([x, x2], 1)
        x = F.relu(model.lin1(x))
        x = model.drops(x)
        x = model.bn2(x)
        x = F.relu(model.lin2(x))
        x = model.drops(x)
        x = model.bn3(x)
        x = model.lin3(x)
        return x

ig = IntegratedGradients(forward)
ig.attribute(inputs=(embeddings_cat, test_set.features_cont))
