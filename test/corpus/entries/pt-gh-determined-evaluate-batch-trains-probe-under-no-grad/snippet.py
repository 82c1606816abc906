def evaluate_batch(self, batch):

    # self.model.eval()
    z = self.model(batch.x, batch.edge_index)
    # split = get_split(num_samples=z.size()[0], train_ratio=0.3, test_ratio=0.1)
    result = LREvaluator()(z, batch.y, self.split)

    return {
        "micro_f1": result["micro_f1"]
    }
