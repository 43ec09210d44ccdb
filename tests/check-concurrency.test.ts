/**
 * A check's tests may run side by side in one thread (`describe.concurrent`). What
 * one test's learner code does — an error that escapes, a timer left running, the
 * connections its server accepts — must be reported on that test, never on the one
 * running beside it (`checks/support/test-context.ts`).
 */
import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { watchAcceptedSockets } from '../checks/support/server-contract.ts';
import { runAs } from '../checks/support/test-context.ts';
import { Workbench } from '../checks/support/workbench.ts';

/** A server started as `owner`'s, as a check starts the learner's; `onConnection` runs for each client. */
function serverOf(owner: Workbench, onConnection: (socket: net.Socket) => void): Promise<{ server: net.Server; port: number }> {
  return runAs(
    owner,
    () =>
      new Promise((resolve) => {
        const server = net.createServer(onConnection);
        server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port }));
      }),
  );
}

/** Connects as `owner`'s client and waits for the connection to close. */
function visit(owner: Workbench, port: number): Promise<void> {
  return runAs(owner, async () => {
    const client = net.connect(port, '127.0.0.1');
    client.on('error', () => {});
    await once(client, 'close');
  });
}

describe('tests side by side keep their evidence apart', () => {
  test('an error thrown in a server callback fails the test whose server it is, not the one beside it', async () => {
    const thrower = new Workbench();
    const neighbour = new Workbench();
    const { server, port } = await serverOf(thrower, (socket) => {
      socket.destroy();
      throw new Error('thrown in a connection handler');
    });
    // The neighbour's client makes the connection: the throw is still the server's.
    await visit(neighbour, port);
    await new Promise((resolve) => server.close(resolve));
    await expect(neighbour.teardown()).resolves.toBeUndefined();
    await expect(thrower.teardown()).rejects.toThrow(/thrown in a connection handler/);
  });

  test('a timer left running is a leak of the test that set it, and only of that one', async () => {
    const leaker = new Workbench();
    const neighbour = new Workbench();
    leaker.checkLeaksAfter('the leaker', 'clear it');
    neighbour.checkLeaksAfter('the neighbour', 'clear it');
    const left: NodeJS.Timeout[] = [];
    const { server, port } = await serverOf(leaker, (socket) => {
      // Set in a callback of an accepted socket, which Node starts with no async context of its own.
      left.push(setInterval(() => {}, 60_000));
      socket.destroy();
    });
    await visit(neighbour, port);
    await new Promise((resolve) => server.close(resolve));
    left.push(runAs(leaker, () => setInterval(() => {}, 60_000)));
    try {
      await expect(neighbour.teardown()).resolves.toBeUndefined();
      await expect(leaker.teardown()).rejects.toThrow(/still alive: 2 × timer/);
    } finally {
      for (const interval of left) clearInterval(interval);
    }
  });

  test('each test sees the connections its own servers accepted', async () => {
    const first = new Workbench();
    const second = new Workbench();
    const firstWatch = watchAcceptedSockets(first);
    const secondWatch = watchAcceptedSockets(second);
    const servers = await Promise.all([serverOf(first, (socket) => socket.destroy()), serverOf(second, (socket) => socket.destroy())]);
    await Promise.all([visit(second, servers[0].port), visit(first, servers[1].port), visit(first, servers[1].port)]);
    expect([firstWatch.accepted, secondWatch.accepted]).toEqual([1, 2]);
    await Promise.all(servers.map(({ server }) => new Promise((resolve) => server.close(resolve))));
    await Promise.all([first.teardown(), second.teardown()]);
  });
});
