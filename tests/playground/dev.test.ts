/**
 * `npm run dev`: runs a server exercise, logs its events, restarts it on save, and
 * survives learner code that crashes. Run as the learner runs it, in a child process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../tooling/course/paths.ts';
import { dev, devScript, scratchSolution } from './dev-process.ts';
import { client, connected, next } from './support.ts';

describe('npm run dev', () => {
  test('a wrong id gets the closest one and the list', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', devScript, 'hello-sockeio'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('There is no exercise "hello-sockeio". Did you mean "hello-socketio"?');
  });

  test('a client exercise is explained: run it against the playground', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', devScript, 'first-client'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('first-client is a client exercise');
    expect(result.stdout).toContain('npm run playground');
    expect(result.stdout).toContain("askServer('http://127.0.0.1:3210', 'echo', 'hi')");
  });

  test("runs hello-socketio's solution and logs every event in and out", async () => {
    const run = dev('hello-socketio', '--solutions', '--port', '0');
    const port = await run.listening();
    expect(run.output()).toContain('startHelloServer is listening on http://127.0.0.1:');
    // Printed right after the listening line, and it may reach the pipe in a later chunk.
    await run.waitFor(/\/inspector#url=http%3A%2F%2F127\.0\.0\.1%3A/);

    const socket = client(`http://127.0.0.1:${port}`);
    const welcome = next<{ id: string }>(socket, 'welcome');
    await connected(socket);
    await welcome;
    expect(await socket.timeout(2000).emitWithAck('ping', 41)).toBe(42);
    await run.waitFor(/ack of ping: 42/);
    expect(run.output()).toMatch(new RegExp(`← \\[/\\] ${socket.id} connected via (polling|websocket)`));
    expect(run.output()).toMatch(new RegExp(`→ \\[/\\] ${socket.id} welcome \\{"id":"${socket.id}"`));
    expect(run.output()).toMatch(new RegExp(`← \\[/\\] ${socket.id} ping 41 \\[acknowledgement\\]`));

    run.child.kill('SIGINT');
    const code = await new Promise((resolve) => run.child.once('exit', resolve));
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`)).rejects.toThrow();
  });

  test('restarts on save, and survives code that crashes', async () => {
    const { root, file, solution } = scratchSolution('hello-socketio');
    const run = dev('hello-socketio', '--root', root, '--port', '0');
    const greeting = async (port: number) => {
      const socket = client(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
      return (await next<{ greeting: string }>(socket, 'welcome', 5000)).greeting;
    };
    expect(await greeting(await run.listening())).toBe('Hello from Socket.IO!');

    let mark = run.output().length;
    fs.writeFileSync(file, solution.replace('Hello from Socket.IO!', 'Hello again!'));
    await run.waitFor(/changed: restarting/, mark);
    expect(await greeting(await run.listening(mark))).toBe('Hello again!');

    mark = run.output().length;
    fs.writeFileSync(file, `${solution}\nthrow new Error('a bug at the top level');\n`);
    await run.waitFor(/did not start: .*a bug at the top level/, mark);
    expect(run.child.exitCode).toBeNull();

    mark = run.output().length;
    fs.writeFileSync(file, solution);
    expect(await greeting(await run.listening(mark))).toBe('Hello from Socket.IO!');

    // An endless loop once listening: the next save must kill it, not wait for it.
    mark = run.output().length;
    fs.writeFileSync(file, solution.replace('const { port } =', 'setTimeout(() => { for (;;); }, 100);\n  const { port } ='));
    await run.listening(mark);
    await new Promise((resolve) => setTimeout(resolve, 200));
    mark = run.output().length;
    fs.writeFileSync(file, solution);
    await run.waitFor(/did not close within .* it was killed/, mark);
    expect(await greeting(await run.listening(mark))).toBe('Hello from Socket.IO!');
  });
});
