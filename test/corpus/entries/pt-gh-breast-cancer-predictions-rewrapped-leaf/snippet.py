batch_predictions = compute_batch_predictions(output, mode=parameters["model_mode"])
pred_df = pd.DataFrame({k: v[:, 1] for k, v in batch_predictions.items()})
pred_df.columns.names = ["label", "view_angle"]
predictions = pred_df.T.reset_index().groupby("label").mean().T[LABELS.LIST].values

gt = np.transpose(birads_labels['label'].values.reshape(predictions.shape[1], 1))
gt = torch.tensor(gt, dtype=torch.float, requires_grad=True)
predictions = torch.tensor(predictions, requires_grad=True)
l = loss(predictions, gt)
l.backward()
optimizer.step()
