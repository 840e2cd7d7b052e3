import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './platform.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `npm start`'s entry point (`infra/local/start.ts`) as the leader of its own process group, so
 * that a test or bench can kill it whole — node, DynamoDB Local's java, s3rver — as a crash would.
 * Resolves once it answers, with the time that took.
 */
export async function startPlatformProcess(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ child: ChildProcess; startedMs: number }> {
  const begun = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}):\n${output}`);
    if (output.includes('CityGrid is running')) return { child, startedMs: Date.now() - begun };
  }
  await killProcessGroup(child);
  throw new Error(`the platform did not start within ${timeoutMs / 1000} s:\n${output}`);
}

/** `kill -9` of the child's whole process group, then waits for it to exit. */
export async function killProcessGroup(child: ChildProcess): Promise<void> {
  const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  await exited;
  await sleep(500); // the group's java may take a moment to release its port
}
