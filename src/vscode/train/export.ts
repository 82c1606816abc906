/**
 * `autogradLens.exportModel` (*Export Model for PyTorch / ONNX…*, palette and explorer): a saved model
 * folder to a PyTorch module file (model.py + model_weights.bin in a folder) or an ONNX file. Runs in
 * the extension host: the export core reads the model folder without TensorFlow.js.
 * Programmatic form: `{ modelDir, format: 'pytorch' | 'onnx', out }` (paths absolute or relative to the
 * first workspace folder); resolves with the written files.
 */
import * as vscode from 'vscode';
import { basename, dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { EXPORT_FORMATS, exportOnnx, exportPytorch, type ExportFormat } from '../../core/export/index';

function abs(p: string): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return isAbsolute(p) || !root ? p : resolvePath(root, p);
}

export async function exportModelCommand(log: vscode.LogOutputChannel, arg?: unknown): Promise<string[] | undefined> {
  let modelDir: string | undefined;
  let format: ExportFormat | undefined;
  let out: string | undefined;
  const o = arg as { modelDir?: unknown; format?: unknown; out?: unknown } | undefined;
  if (o && !(arg instanceof vscode.Uri) && typeof o.modelDir === 'string' && typeof o.out === 'string' && EXPORT_FORMATS.includes(o.format as ExportFormat)) {
    modelDir = abs(o.modelDir);
    format = o.format as ExportFormat;
    out = abs(o.out);
  } else {
    let dir = arg instanceof vscode.Uri ? arg : undefined;
    if (dir && basename(dir.fsPath) === 'autograd-lens.json') dir = vscode.Uri.joinPath(dir, '..');
    if (!dir) dir = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export this model', title: 'Folder of a saved model' }))?.[0];
    if (!dir) return undefined;
    modelDir = dir.fsPath;
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'PyTorch', description: 'model.py + model_weights.bin: import model; net = model.load()', id: 'pytorch' as const },
        { label: 'ONNX', description: 'one .onnx file (ONNX Runtime, other frameworks)', id: 'onnx' as const },
      ],
      { title: `Export ${basename(modelDir)} for…` },
    );
    if (!pick) return undefined;
    format = pick.id;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(format === 'onnx' ? join(dirname(modelDir), `${basename(modelDir)}.onnx`) : join(dirname(modelDir), `${basename(modelDir)}-pytorch`)),
      filters: format === 'onnx' ? { 'ONNX models': ['onnx'] } : undefined,
      saveLabel: 'Export',
      title: format === 'onnx' ? 'ONNX file to write' : 'Folder to write model.py and model_weights.bin into',
    });
    if (!target) return undefined;
    out = target.fsPath;
  }
  const version = String(vscode.extensions.getExtension('autograd-lens.autograd-lens')?.packageJSON?.version ?? 'dev');
  const r = format === 'onnx' ? await exportOnnx(modelDir, out, version) : await exportPytorch(modelDir, out);
  log.info(`Exported ${modelDir} for ${format === 'onnx' ? 'ONNX' : 'PyTorch'}: ${r.files.join(', ')}`);
  if (r.upToConstant.length) {
    const msg = `${r.upToConstant.join(', ')} ${r.upToConstant.length > 1 ? 'were' : 'was'} trained on derivatives only: the exported values are known only up to an additive constant (the export says so too).`;
    log.warn(msg);
    void vscode.window.showWarningMessage(`Autograd Lens: ${msg}`);
  } else {
    void vscode.window.showInformationMessage(`Autograd Lens: exported to ${vscode.workspace.asRelativePath(r.files[0])}`);
  }
  return r.files;
}
