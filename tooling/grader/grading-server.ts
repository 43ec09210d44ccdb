/**
 * The grading server: keeps a grader warm between two `npm run check`s, so that an
 * edit is graded without starting vitest and the compiler again.
 *
 * `npm run check` starts it on first use (see `grading-server-client.mjs`), detached
 * and without a terminal, listening on a Unix socket in a private folder (never a
 * port). It runs no learner code itself: each grader it keeps has its grading
 * process, killed from outside as always. It answers one request per connection with
 * the results, and it exits by itself after {@link IDLE_LIMIT_MS} without a request,
 * when its state folder is deleted, or when the workbook's own code changed (the next
 * `npm run check` then starts a fresh one).
 *
 * Results are never stale: before each grade it compares the content of every file of
 * the graded folder with what it saw last, and has vitest forget what changed; the type
 * check is keyed by content too.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { course } from '../../exercises/manifest.ts';
import { contentHash } from '../cache/content-cache.ts';
import type { ExerciseSpec } from '../course/define.ts';
import { findExercise, UnknownExerciseError } from '../course/lookup.ts';
import { folders, repoRoot } from '../course/paths.ts';
import { Grader } from './grader.ts';
import { gradingServerSocket } from './grading-server-client.mjs';
import type { ServerReply, ServerRequest } from './protocol.ts';

/** A server nobody asked anything for this long exits. */
const IDLE_LIMIT_MS = 10 * 60_000;
/** How often it looks whether its state folder still exists. */
const STATE_LOOK_EVERY_MS = 2000;

/**
 * Everything whose change makes a running server's code out of date, by size and
 * modification time (cheap enough to look at on every request; any edit, checkout or
 * install changes one of them).
 */
function codeFingerprint(): string {
  const hash = createHash('sha1').update(process.version);
  const visit = (file: string) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) if (name !== 'node_modules' && !name.startsWith('.')) visit(path.join(file, name));
    } else if (stat) {
      hash.update(`${file}\n${stat.size}\n${stat.mtimeMs}\n`);
    }
  };
  for (const part of ['tooling', 'checks', 'exercises/manifest.ts', 'package.json', 'package-lock.json', 'tsconfig.json']) visit(path.join(repoRoot, part));
  return hash.digest('hex');
}

/** The content hash of every source file under `root`, to tell what changed between two grades. */
function sourceContents(root: string): Map<string, string> {
  const contents = new Map<string, string>();
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (/\.(ts|mts|cts|js|mjs|cjs|json)$/.test(entry.name)) contents.set(file, contentHash(file));
    }
  };
  if (fs.existsSync(root)) visit(root);
  return contents;
}

interface Kept {
  readonly grader: Grader;
  /** One grade at a time per graded folder: requests queue here. */
  queue: Promise<unknown>;
  seen: Map<string, string>;
}

const fingerprint = codeFingerprint();
const socketPath = gradingServerSocket();
const kept = new Map<string, Kept>();
const stateExisted = fs.existsSync(folders.state);
let busy = 0;
let idleTimer: NodeJS.Timeout | undefined;

function keptFor(root: string, isLearnerFolder: boolean): Kept {
  const key = `${root}\n${isLearnerFolder}`;
  let entry = kept.get(key);
  if (!entry) {
    const grader = new Grader({ root, isLearnerFolder }, { keepWarm: true });
    grader.warmUp();
    entry = { grader, queue: Promise.resolve(), seen: sourceContents(root) };
    kept.set(key, entry);
  }
  return entry;
}

async function grade(request: Extract<ServerRequest, { type: 'grade' }>): Promise<ServerReply> {
  if (request.node !== process.version || codeFingerprint() !== fingerprint) {
    setImmediate(() => void shutDown());
    return { type: 'stale' };
  }
  let exercises: ExerciseSpec[];
  try {
    exercises = request.exercises.length > 0 ? request.exercises.map((query) => findExercise(course, query)) : [...course.exercises];
  } catch (error) {
    // The command itself tells the learner about a wrong name.
    if (error instanceof UnknownExerciseError) return { type: 'failed', message: error.message };
    throw error;
  }
  const entry = keptFor(request.root, request.isLearnerFolder);
  const graded = entry.queue.then(async () => {
    const now = sourceContents(request.root);
    const changed = [...new Set([...now.keys(), ...entry.seen.keys()])].filter((file) => now.get(file) !== entry.seen.get(file));
    entry.seen = now;
    return entry.grader.grade(exercises, changed);
  });
  entry.queue = graded.catch(() => {});
  return { type: 'graded', results: await graded };
}

function answer(connection: net.Socket): void {
  let received = '';
  connection.setEncoding('utf8');
  connection.on('error', () => connection.destroy());
  connection.on('data', (chunk: string) => {
    received += chunk;
    const end = received.indexOf('\n');
    if (end < 0) return;
    connection.removeAllListeners('data');
    busy++;
    clearTimeout(idleTimer);
    let request: ServerRequest;
    try {
      request = JSON.parse(received.slice(0, end)) as ServerRequest;
    } catch {
      request = { type: 'unknown' } as unknown as ServerRequest;
    }
    const reply: Promise<ServerReply> =
      request.type === 'grade' ? grade(request) : Promise.resolve({ type: 'failed', message: 'the grading server does not know this request' });
    void reply
      .catch((error: unknown): ServerReply => ({ type: 'failed', message: error instanceof Error ? error.message : String(error) }))
      .then((message) => connection.end(`${JSON.stringify(message)}\n`))
      .finally(() => {
        busy--;
        armIdleTimer();
      });
  });
}

function armIdleTimer(): void {
  clearTimeout(idleTimer);
  if (busy === 0) idleTimer = setTimeout(() => void shutDown(), IDLE_LIMIT_MS);
}

const server = net.createServer(answer);
let shuttingDown = false;

async function shutDown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  server.close();
  fs.rmSync(socketPath, { force: true });
  // Its log is kept only when it says something (an error to look into).
  const log = socketPath.replace(/\.sock$/, '.log');
  if (fs.statSync(log, { throwIfNoEntry: false })?.size === 0) fs.rmSync(log, { force: true });
  await Promise.all([...kept.values()].map(({ grader }) => grader.close().catch(() => {})));
  process.exit(0);
}

function listen(): void {
  server.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    // Another server may have won the race; if nobody answers there, the socket is a leftover.
    const probe = net.createConnection(socketPath);
    probe.once('connect', () => process.exit(0));
    probe.once('error', () => {
      fs.rmSync(socketPath, { force: true });
      server.listen(socketPath);
    });
  });
  server.listen(socketPath, () => fs.chmodSync(socketPath, 0o600));
}

fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
listen();
armIdleTimer();
// A deleted state folder (a test's scratch folder, a learner starting over) ends the server too.
setInterval(() => {
  if (stateExisted && !fs.existsSync(folders.state)) void shutDown();
}, STATE_LOOK_EVERY_MS).unref();
process.on('SIGTERM', () => void shutDown());
process.on('SIGINT', () => void shutDown());
