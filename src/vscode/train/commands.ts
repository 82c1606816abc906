/**
 * Command-table entries of training, analysis and the panel (merged into `COMMANDS` in
 * src/vscode/commands.ts). One TrainingService per extension context, created on first use.
 */
import type * as vscode from 'vscode';
import { TrainingService } from './service';
import { exportModelCommand } from './export';

let service: TrainingService | undefined;

/** The service, created once; `activateTraining` creates it at activation so the panel can be restored. */
export function trainingService(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): TrainingService {
  if (!service) {
    service = new TrainingService(context, log);
    context.subscriptions.push(service, { dispose: () => (service = undefined) });
  }
  return service;
}

type Factory = (ctx: { extensionContext: vscode.ExtensionContext; log: vscode.LogOutputChannel }) => (...args: unknown[]) => unknown;
const s = (ctx: Parameters<Factory>[0]): TrainingService => trainingService(ctx.extensionContext, ctx.log);

export const TRAINING_COMMANDS: Record<string, Factory> = {
  'autogradLens.train': (ctx) => (uri?: unknown) => s(ctx).train(uri),
  'autogradLens.retrain': (ctx) => () => s(ctx).retrain(),
  'autogradLens.cancelTraining': (ctx) => (runId?: unknown) => s(ctx).cancel(runId),
  'autogradLens.analyzeModel': (ctx) => (uri?: unknown) => s(ctx).analyzeModel(uri),
  'autogradLens.analyzeCsv': (ctx) => (uri?: unknown) => s(ctx).analyzeCsv(uri),
  'autogradLens.exportDerivatives': (ctx) => (uri?: unknown) => s(ctx).exportDerivatives(uri),
  'autogradLens.openPanel': (ctx) => () => s(ctx).openPanel(),
  'autogradLens.exportModel': (ctx) => (arg?: unknown) => exportModelCommand(ctx.log, arg),
};
