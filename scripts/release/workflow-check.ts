/**
 * The release workflow checked offline (Debian 12 has no actionlint): GitHub's workflow JSON schema, as SchemaStore
 * publishes it (testdata/github-workflow/, with provenance), and the rules this project adds: every action pinned to
 * a version, every `npm run` script and every repository file a step names exists, the three runners and four
 * installer kinds are there, no secret is read but the signing ones (signing.ts), and the Electron smoke test runs
 * under xvfb on Linux. Run by workflow-check.test.ts in `npm test`.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { SIGNING_SECRETS } from './signing.js';

// Both come with the project's dependencies (ajv with fastify, js-yaml with electron-builder); js-yaml has no types.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

export const ROOT = join(import.meta.dirname, '..', '..');
export const WORKFLOW = join(ROOT, '.github', 'workflows', 'release.yml');
const SCHEMA = join(ROOT, 'testdata', 'github-workflow', 'github-workflow.json');

export interface Problem {
  where: string;
  message: string;
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: string;
  strategy?: { matrix?: { include?: Record<string, string>[] } };
  steps?: Step[];
}

let validate: ValidateFunction | null = null;
function schemaProblems(workflow: unknown): Problem[] {
  validate ??= new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
  if (validate(workflow)) return [];
  return (validate.errors ?? []).map((e) => ({ where: `schema ${e.instancePath || '/'}`, message: `${e.message ?? 'invalid'} ${JSON.stringify(e.params)}` }));
}

const REQUIRED_RUNNERS = ['ubuntu', 'windows', 'macos'];
const REQUIRED_TARGETS = ['AppImage', 'deb', 'nsis', 'dmg'];
const ALLOWED_SECRETS = new Set<string>(Object.values(SIGNING_SECRETS).flat());

function projectProblems(jobs: Record<string, Job>, root: string, scripts: Record<string, string>): Problem[] {
  const problems: Problem[] = [];
  const include = Object.values(jobs).flatMap((job) => job.strategy?.matrix?.include ?? []);
  const runners = include.map((m) => m.runner ?? '').join(' ');
  for (const r of REQUIRED_RUNNERS) if (!runners.includes(r)) problems.push({ where: 'jobs', message: `no ${r} runner` });
  const targets = include.map((m) => m.targets ?? '').join(' ').split(/\s+/);
  for (const t of REQUIRED_TARGETS) if (!targets.includes(t)) problems.push({ where: 'jobs', message: `no ${t} installer` });
  for (const [id, job] of Object.entries(jobs)) {
    (job.steps ?? []).forEach((step, i) => {
      const where = `jobs.${id}.steps[${i}]${step.name ? ` (${step.name})` : ''}`;
      if (step.uses && !/^[\w.-]+\/[\w./-]+@[\w.-]+$/.test(step.uses)) problems.push({ where, message: `${step.uses} is not pinned to a version` });
      const text = [step.run ?? '', ...Object.values(step.env ?? {}), ...Object.values(step.with ?? {}).map(String)].join('\n');
      for (const m of text.matchAll(/\bnpm run(?: -s)? ([\w:.-]+)/g))
        if (!(m[1]! in scripts)) problems.push({ where, message: `npm run ${m[1]}: package.json has no such script` });
      for (const m of (step.run ?? '').matchAll(/(?:^|[\s"'])((?:scripts|test|\.github)\/[\w./-]+\.\w+)/g))
        if (!existsSync(join(root, m[1]!))) problems.push({ where, message: `${m[1]} does not exist` });
      for (const m of text.matchAll(/secrets\.([A-Za-z_]\w*)/g))
        if (!ALLOWED_SECRETS.has(m[1]!)) problems.push({ where, message: `reads secret ${m[1]}, which is not a signing secret (scripts/release/signing.ts)` });
      if (/test:electron/.test(step.run ?? '') && !/runner\.os == 'Linux' && 'xvfb-run/.test(step.run ?? ''))
        problems.push({ where, message: 'the Electron smoke test must run under xvfb-run on Linux' });
    });
  }
  return problems;
}

/** Every problem found in a workflow's text; none for a good one. */
export function checkWorkflow(text: string, root = ROOT): Problem[] {
  let workflow: unknown;
  try {
    workflow = load(text);
  } catch (e) {
    return [{ where: 'yaml', message: (e as Error).message.split('\n')[0]! }];
  }
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const jobs = (workflow as { jobs?: Record<string, Job> } | null)?.jobs ?? {};
  return [...schemaProblems(workflow), ...projectProblems(jobs, root, scripts)];
}
