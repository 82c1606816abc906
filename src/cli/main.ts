/**
 * `autograd-lens` command line: a thin adapter over the pure core.
 *   autograd-lens lint [--format text|json|sarif] [--select CODES] [--ignore CODES] [--fix] PATH...
 *   autograd-lens train DATA --inputs A,B --outputs Y [...]
 *   autograd-lens analyze MODEL_DIR --data DATA [...]
 *   autograd-lens export MODEL_DIR --format pytorch|onnx --out PATH
 * Exit codes: 0 clean, 1 findings at warning level or above, 2 usage or I/O error, 3 the linter
 * failed on a file, 130 a training interrupted by Ctrl-C (see usage()).
 */
import { runLintCommand, setLintProcessFlags } from './lint';
import { ANALYZE_USAGE, CliError, EXPORT_USAGE, LINT_USAGE, TRAIN_USAGE, closest, unknownOption, usage, version } from './common';

/** `--help` / `-h` among a command's arguments (before a `--`). */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

// `train`, `analyze` and `export` bring TensorFlow.js, mathjs and the ONNX writer (about 7 of the 8.5 MB a
// single bundle would be). They are imported when their command runs, and scripts/build.mjs bundles them
// apart (dist/cliTrain.js, dist/cliExport.js), so that `lint` does not read and compile them at every start.
const trainCommands = () => import('./train');
const exportCommand = () => import('./export');

const COMMAND_USAGE: Record<string, string> = { lint: LINT_USAGE, train: TRAIN_USAGE, analyze: ANALYZE_USAGE, analyse: ANALYZE_USAGE, export: EXPORT_USAGE };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && COMMAND_USAGE[command] && wantsHelp(rest)) {
      process.stdout.write(COMMAND_USAGE[command]);
      return 0;
    }
    switch (command) {
      case 'lint':
        return await runLintCommand(rest);
      case 'train':
        return await (await trainCommands()).runTrainCommand(rest);
      case 'analyze':
      case 'analyse':
        return await (await trainCommands()).runAnalyzeCommand(rest);
      case 'export':
        return await (await exportCommand()).runExportCommand(rest);
      case '--version':
      case '-V':
      case 'version':
        process.stdout.write(`${version()}\n`);
        return 0;
      case 'help':
        process.stdout.write(rest[0] && COMMAND_USAGE[rest[0]] ? COMMAND_USAGE[rest[0]] : usage());
        return 0;
      case undefined:
      case '-h':
      case '--help':
        process.stdout.write(usage());
        return command === undefined ? 2 : 0;
      default:
        if (command.startsWith('-')) throw unknownOption('autograd-lens', command, ['--help', '--version']);
        throw new CliError(`unknown command '${command}'${suggestCommand(command)}\n\n${usage()}`);
    }
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`autograd-lens: ${err.message}\n`);
      return 2;
    }
    // A bug, not bad input: the message, and the stack only when asked for.
    const debug = Boolean(process.env.AUTOGRAD_LENS_DEBUG);
    const text = err instanceof Error ? (debug ? (err.stack ?? err.message) : `${err.name}: ${err.message}`) : String(err);
    process.stderr.write(`autograd-lens: internal error: ${text}\n${debug ? '' : 'autograd-lens: please report this (AUTOGRAD_LENS_DEBUG=1 shows where it happened)\n'}`);
    return 2;
  }
}

function suggestCommand(command: string): string {
  const close = closest(command, ['lint', 'train', 'analyze', 'export']);
  return close ? ` (did you mean ${close}?)` : '';
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === 'lint') setLintProcessFlags();
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}
