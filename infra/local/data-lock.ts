/**
 * Who has a local data folder open. DynamoDB Local keeps the folder's database in one file; two engines
 * on it (a running `npm start` and DynamoDB Local started by `npm run city`) would each write their own
 * view over the other's. Whoever opens the folder first writes `platform.lock.json` into it — its pid,
 * DynamoDB Local's pid and port — and removes it when it stops; the others read it and either use the
 * running DynamoDB Local (the city CLI, when `npm start` holds the folder) or refuse.
 *
 * A lock whose processes are all gone (a `kill -9`, a crash, a reboot) is stale and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'platform.lock.json';

export type LockOwner = 'npm start' | 'city CLI';

export interface DataFolderLock {
  owner: LockOwner;
  /** The node process that opened the folder. */
  pid: number;
  /** DynamoDB Local's java, once started (it outlives a `kill -9` of its parent). */
  dynamoPid?: number | undefined;
  dynamoPort: number;
  /** npm start: the API's URL, for the CLI's messages. */
  url?: string | undefined;
  /** npm start: s3rver's endpoint (the CLI's `audit verify --anchor latest` reads the local anchors there). */
  s3Endpoint?: string | undefined;
  startedAt: string;
}

/** The folder is open elsewhere: one clear message, printed as is by `npm start` and the city CLI. */
export class DataFolderBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFolderBusyError';
  }
}

/** Whether a process with that pid exists (EPERM: it does, under another user). */
export function processAlive(pid: number | undefined): boolean {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockState {
  lock: DataFolderLock;
  /** The opener is still running. */
  ownerAlive: boolean;
  /** Its DynamoDB Local is still running. */
  dynamoAlive: boolean;
}

const lockPath = (dataDir: string) => join(dataDir, LOCK_FILE);

/**
 * The folder's lock, if any, with whether its processes still run. A file that does not parse is being
 * written this very moment (a few bytes, written at once) or was cut short by a crash: read again
 * briefly, then treat it as held by an unknown process (refused with a message naming the file).
 */
export async function readDataLock(dataDir: string): Promise<LockState | undefined> {
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      text = readFileSync(lockPath(dataDir), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const lock = JSON.parse(text) as DataFolderLock;
      if (typeof lock.pid !== 'number' || typeof lock.dynamoPort !== 'number') throw new Error('not a lock');
      return { lock, ownerAlive: processAlive(lock.pid), dynamoAlive: processAlive(lock.dynamoPid) };
    } catch {
      if (attempt >= 10) {
        throw new DataFolderBusyError(`${lockPath(dataDir)} cannot be read. If no npm start or city command uses ${dataDir}, delete that file and try again.`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/** Why a live lock keeps `who` out of the folder, as one sentence with what to do. */
export function describeBusy(dataDir: string, state: LockState): string {
  const { lock } = state;
  const holder = lock.owner === 'npm start' ? `npm start (pid ${lock.pid}${lock.url ? `, ${lock.url}` : ''})` : `a city command (pid ${lock.pid})`;
  if (!state.ownerAlive) {
    return `The data folder ${dataDir} is still open in DynamoDB Local (pid ${lock.dynamoPid}, port ${lock.dynamoPort}), left running by ${holder}, which has stopped. Stop it (kill ${lock.dynamoPid}) and try again.`;
  }
  return `The data folder ${dataDir} is in use by ${holder} since ${lock.startedAt}. Stop it (Ctrl-C) or wait until it ends, or use another folder (CITYGRID_DATA_DIR).`;
}

export interface HeldLock {
  /** Adds facts known later (DynamoDB Local's pid, the API's URL). */
  update(patch: Partial<Pick<DataFolderLock, 'dynamoPid' | 'url' | 's3Endpoint'>>): void;
  /** Removes the lock (only ours: a later holder's file is left alone). */
  release(): void;
}

/**
 * Takes the folder for `owner`, or throws {@link DataFolderBusyError} when a live process holds it.
 * Creation is exclusive (`wx`), so of two processes starting together exactly one gets it.
 */
export async function acquireDataLock(dataDir: string, entry: { owner: LockOwner; dynamoPort: number }): Promise<HeldLock> {
  const file = lockPath(dataDir);
  let lock: DataFolderLock = { owner: entry.owner, pid: process.pid, dynamoPort: entry.dynamoPort, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      const state = await readDataLock(dataDir);
      if (state && (state.ownerAlive || state.dynamoAlive)) throw new DataFolderBusyError(describeBusy(dataDir, state));
      rmSync(file, { force: true }); // stale: its processes are gone
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(lock));
    } finally {
      closeSync(fd);
    }
    break;
  }
  let released = false;
  const ours = () => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as DataFolderLock).pid === process.pid;
    } catch {
      return false;
    }
  };
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    if (ours()) rmSync(file, { force: true });
  };
  // Also on process.exit() (npm start's shutdown, an uncaught error); a kill -9 leaves a stale lock.
  process.once('exit', release);
  return {
    update(patch) {
      if (released) return;
      lock = { ...lock, ...patch };
      writeFileSync(file, JSON.stringify(lock));
    },
    release,
  };
}
