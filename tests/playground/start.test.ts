/**
 * `npm start`'s checks before it starts anything: a busy port is one line saying
 * how to pick another. (Starting the site itself takes a minute: not tested here.)
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../tooling/course/paths.ts';
import { closeAfterTest } from './support.ts';

async function occupy(host: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end('not a playground'));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  closeAfterTest(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(...args: string[]) {
  const { spawn } = await import('node:child_process');
  // Asynchronous: the busy servers live in this process and must keep answering.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tooling/cli/start.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('npm start', () => {
  test("a busy site port is one line with the way out, and nothing is started", async () => {
    const port = await occupy('localhost');
    const { code, stdout, stderr } = await start('--port', String(port), '--playground-port', String(await freePort()));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `The site cannot start: port ${port} on localhost is already in use (another copy still running?). Stop it, or pick another port: npm start -- --port ${port + 1}`,
    ]);
    expect(stdout).not.toContain('playground on');
  });

  test('a playground port taken by something else is one line with the way out', async () => {
    const taken = await occupy('127.0.0.1');
    const { code, stderr } = await start('--port', String(await freePort()), '--playground-port', String(taken));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `The playground cannot start: port ${taken} on 127.0.0.1 is already in use (another copy still running?). Stop it, or pick another port: npm start -- --playground-port 3210`,
    ]);
  });

  test('a port that is not a number is refused with the usage', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tooling/cli/start.ts'), '--port', 'abc'], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be a port number');
  });
});
