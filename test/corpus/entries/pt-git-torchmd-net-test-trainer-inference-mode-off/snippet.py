import lightning.pytorch as pl
from torchmdnet.module import LNNP


def main():
    ...
    trainer = pl.Trainer(
        max_epochs=args.num_epochs,
        default_root_dir=args.log_dir,
        callbacks=[early_stopping, checkpoint_callback],
        logger=_logger,
        inference_mode=False,
    )

    trainer.fit(model, data, ckpt_path=None if args.reset_trainer else args.load_model)

    # run test set after completing the fit
    model = LNNP.load_from_checkpoint(trainer.checkpoint_callback.best_model_path)
    trainer = pl.Trainer(logger=_logger, inference_mode=False,)
    trainer.test(model, data)
