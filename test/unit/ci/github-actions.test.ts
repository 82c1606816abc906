/**
 * The documented GitHub Actions workflow (docs/examples/autograd-lens-code-scanning.yml): it is the one
 * docs/ci.md shows, it has what upload-sarif needs, and its lint step, run with bash as the runner runs
 * it, writes a SARIF file that code scanning can take. GitHub itself (checkout, setup-node, upload-sarif)
 * cannot run here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { load } from 'js-yaml';
import { ensureCli, ROOT, scratchRepo } from './helpers';

const FILE = join(ROOT, 'docs/examples/autograd-lens-code-scanning.yml');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const text = readFileSync(FILE, 'utf8');
const wf = load(text) as Workflow;
const steps = Object.values(wf.jobs)[0].steps;
const lintStep = steps.find((s) => s.run?.includes('lint --format sarif')) as Step;
const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')) as Step;

before(ensureCli);

test('docs/ci.md shows the example workflow as it is in docs/examples/', () => {
  const doc = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.includes(text), 'docs/ci.md has no yaml block equal to the example file');
});

test('the workflow has the triggers, permissions and steps that uploading SARIF needs', () => {
  assert.ok('push' in wf.on && 'pull_request' in wf.on);
  assert.equal(wf.permissions['security-events'], 'write');
  assert.equal(wf.permissions.contents, 'read');
  assert.equal(steps[0].uses, 'actions/checkout@v4');
  assert.ok(steps.some((s) => s.uses === 'actions/setup-node@v4' && Number(s.with?.['node-version']) >= 20));
  const build = steps.find((s) => s.run?.includes('npm run build')) as Step;
  assert.ok(build, 'a step builds the CLI');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
  assert.ok(pkg.scripts.build, 'package.json has the build script the workflow runs');
  assert.match(build.run as string, new RegExp(`--branch v${pkg.version.replace(/\./g, '\\.')} `), 'the workflow builds the current release');
  assert.ok(lintStep && upload, 'a lint step and an upload step');
  assert.ok(steps.indexOf(lintStep) < steps.indexOf(upload));
  assert.equal(upload.if, 'always()', 'the SARIF is uploaded when the lint step fails on findings');
  const out = /> (\S+)\s*$/.exec(lintStep.run as string)?.[1];
  assert.equal(upload.with?.sarif_file, out, 'upload-sarif reads the file the lint step writes');
  assert.ok(upload.with?.category);
});

test('the lint step, run as the runner runs it, writes SARIF that code scanning can take', () => {
  const repo = scratchRepo('agl-gha-');
  const runnerTemp = join(repo, '..', 'runner-temp');
  mkdirSync(runnerTemp);
  symlinkSync(ROOT, join(runnerTemp, 'autograd-lens')); // stands for the clone the build step makes
  // GitHub runs `run:` scripts with `bash --noprofile --norc -eo pipefail {0}`.
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', lintStep.run as string], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: repo, CI: 'true' },
  });
  assert.equal(r.status, 1, `findings make the step fail: ${r.stderr}`);
  const sarif = JSON.parse(readFileSync(join(repo, upload.with?.sarif_file as string), 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'autograd-lens');
  assert.equal(run.invocations[0].executionSuccessful, true);
  const ruleIds = new Set(run.tool.driver.rules.map((x: { id: string }) => x.id));
  const byFile = new Map<string, number>();
  for (const res of run.results) {
    assert.ok(ruleIds.has(res.ruleId), res.ruleId);
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
    const loc = res.locations[0].physicalLocation;
    const uri = loc.artifactLocation.uri as string;
    assert.ok(!uri.startsWith('/') && !uri.includes('..'), `relative URI: ${uri}`);
    byFile.set(uri, (byFile.get(uri) ?? 0) + 1);
    const lines = readFileSync(join(repo, uri), 'utf8').split('\n');
    const { startLine, startColumn, endLine, endColumn } = loc.region;
    assert.ok(startLine >= 1 && endLine >= startLine && endLine <= lines.length, `${uri} region ${JSON.stringify(loc.region)}`);
    assert.ok(startColumn >= 1 && startColumn <= lines[startLine - 1].length + 1);
    if (uri.endsWith('.ipynb')) {
      assert.match(res.message.text, /^cell \d+, line \d+: /);
      assert.ok(res.properties.notebook.cell >= 1);
      if (startLine === endLine) assert.ok(lines[startLine - 1].slice(startColumn - 1, endColumn - 1).length > 0);
    }
  }
  assert.deepEqual(Object.fromEntries([...byFile].sort()), { 'buggy.py': 1, 'notebooks/seed003.ipynb': 2 });
});
