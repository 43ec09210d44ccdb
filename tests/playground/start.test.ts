/**
 * `npm start`'s checks before it starts anything: a busy port is one line saying
 * how to pick another. And the ports it is given reach everything that names them:
 * the printed addresses, and the site's config, where the demos find the playground.
 * (Starting the site itself takes a minute and writes docs/.docusaurus, which the
 * site's tests build into: each link of the chain is tested instead.)
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { choosePlaygroundUrl, DEFAULT_PLAYGROUND_URL } from '../../docs/src/components/live/playground-address.ts';
import { readStartOptions, siteProcess } from '../../tooling/cli/start-options.ts';
import { repoRoot } from '../../tooling/course/paths.ts';
import { describePlayground, inspectorUrl } from '../../tooling/playground/banner.ts';
import { PLAYGROUND_URL_VARIABLE } from '../../tooling/playground/origins.ts';
import { startPlayground } from '../../tooling/playground/server.ts';
import { closeAfterTest, until } from './support.ts';

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

describe('npm start -- --port 3001 --playground-port 4000', () => {
  const options = readStartOptions(['--port', '3001', '--playground-port', '4000', '--no-open', '--poll=500']);

  test('starts the site on its port, with docusaurus\'s own flags passed on, and tells it where the playground is', () => {
    const site = siteProcess(options, {});
    expect(site.command).toBe(path.join(repoRoot, 'node_modules', '.bin', 'docusaurus'));
    expect(site.args).toEqual(['start', 'docs', '--port', '3001', '--host', 'localhost', '--no-open', '--poll=500']);
    expect(site.env).toEqual({ [PLAYGROUND_URL_VARIABLE]: 'http://127.0.0.1:4000' });
  });

  test('prints the Inspector on the site\'s port, with no query string to add', async () => {
    const playground = await startPlayground({ port: 0 });
    closeAfterTest(() => playground.close());
    const banner = describePlayground(playground, [], inspectorUrl(options.siteUrl, playground.url, true));
    expect(banner).toContain('try it in the Inspector: http://localhost:3001/inspector)');
    expect(banner).not.toContain('localhost:3000');
  });

  test('the site\'s config carries the playground address it was given, and nothing when given none', () => {
    const customFields = (env: NodeJS.ProcessEnv) => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "const { default: config } = await import('./docs/docusaurus.config.ts'); console.log(JSON.stringify(config.customFields));"], {
        cwd: repoRoot,
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as unknown;
    };
    const { [PLAYGROUND_URL_VARIABLE]: _, ...without } = process.env;
    expect(customFields(siteProcess(options, without).env)).toEqual({ playgroundUrl: 'http://127.0.0.1:4000' });
    expect(customFields(without)).toEqual({});
  });

  test('the site\'s demos take the address from the page, then the config, then the default', () => {
    expect(choosePlaygroundUrl('', 'http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(choosePlaygroundUrl('?playground=http://127.0.0.1:5000/', 'http://127.0.0.1:4000')).toBe('http://127.0.0.1:5000');
    expect(choosePlaygroundUrl('', undefined)).toBe(DEFAULT_PLAYGROUND_URL);
    // Anything but a bare origin is ignored, from either place.
    expect(choosePlaygroundUrl('?playground=javascript:alert(1)', 'http://evil.example/path')).toBe(DEFAULT_PLAYGROUND_URL);
  });
});

describe('npm run playground on another port', () => {
  test('prints an Inspector link that tells a site started on its own where to look', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tooling/cli/playground.ts'), '--port', '0'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
    closeAfterTest(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    await until(() => /Inspector: \S+\)/.test(stdout), 'the playground printed its banner', 30_000);
    const port = /playground on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)![1];
    expect(stdout).toContain(`try it in the Inspector: http://localhost:3000/inspector?playground=http%3A%2F%2F127.0.0.1%3A${port})`);
  });
});
