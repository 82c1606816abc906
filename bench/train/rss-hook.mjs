// Preloaded (node --import) into the CLI by large-data.ts: at exit, prints the process's peak
// resident memory, wall and CPU time on stderr as one line `AGL_USAGE {json}`.
import { writeSync } from 'node:fs';

const t0 = process.hrtime.bigint();
process.on('exit', () => {
  const ru = process.resourceUsage();
  const usage = { maxRssKB: ru.maxRSS, wallS: Number(process.hrtime.bigint() - t0) / 1e9, userS: ru.userCPUTime / 1e6, sysS: ru.systemCPUTime / 1e6 };
  writeSync(2, `\nAGL_USAGE ${JSON.stringify(usage)}\n`);
});
