/**
 * Which training engine and which Python interpreter the extension uses (see README, "Training with
 * PyTorch"):
 * - `autogradLens.train.engine` = auto | tfjs | torch (default auto);
 * - the interpreter: the one the Python extension has selected for the workspace when that extension
 *   is installed, else `autogradLens.train.pythonPath` (a machine-scoped setting: only the user's own
 *   settings count, never a workspace's .vscode/settings.json), else `python3` on the PATH;
 * - in an untrusted workspace the torch engine is off (it runs a program on this machine).
 */
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import { DEFAULT_PYTHON, ENGINES, type EnginePref } from '../../core/torch/python';

export interface EngineSetting {
  engine: EnginePref;
  /** The interpreter (absent for tfjs). */
  python?: string;
  /** Where the interpreter came from, for the output channel. */
  pythonFrom?: string;
  /** Set when the configured engine was overridden (untrusted workspace). */
  note?: string;
}

/** The user's own pythonPath setting (global value only: a workspace cannot point it elsewhere). */
function userPythonPath(): string | undefined {
  const v = vscode.workspace.getConfiguration('autogradLens').inspect<string>('train.pythonPath')?.globalValue;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The interpreter the Python extension has selected for `resource`, if it is installed and says. */
async function pythonExtensionInterpreter(resource: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (!vscode.extensions.getExtension('ms-python.python')) return undefined;
  try {
    const api = await PythonExtension.api();
    const envPath = api.environments.getActiveEnvironmentPath(resource);
    const env = await api.environments.resolveEnvironment(envPath);
    return env?.executable.uri?.fsPath;
  } catch (err) {
    log.warn(`the Python extension did not name an interpreter: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

export async function engineSetting(resource: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<EngineSetting> {
  const configured = vscode.workspace.getConfiguration('autogradLens').get<string>('train.engine', 'auto') as EnginePref;
  const engine: EnginePref = ENGINES.includes(configured) ? configured : 'auto';
  if (engine === 'tfjs') return { engine };
  if (!vscode.workspace.isTrusted) {
    return { engine: 'tfjs', note: `engine tfjs: the PyTorch engine is off in an untrusted workspace (it runs a Python program on this machine); trust the workspace to use it${engine === 'torch' ? ' (autogradLens.train.engine is torch)' : ''}` };
  }
  const fromExtension = await pythonExtensionInterpreter(resource, log);
  if (fromExtension) return { engine, python: fromExtension, pythonFrom: 'the Python extension' };
  const fromSetting = userPythonPath();
  if (fromSetting) return { engine, python: fromSetting, pythonFrom: 'autogradLens.train.pythonPath' };
  return { engine, python: DEFAULT_PYTHON, pythonFrom: 'the PATH' };
}
