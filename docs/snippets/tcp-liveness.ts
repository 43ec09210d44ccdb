import type { Socket } from 'node:net';

/**
 * Notice a dead peer on a TCP connection. TCP itself says nothing while no data
 * flows: a peer that vanished (power cut, cable pulled, a NAT that forgot us)
 * leaves a *half-open* connection that looks perfectly healthy from this side.
 */
export function watchLiveness(socket: Socket, idleMs = 30_000): void {
  // 1. TCP keepalive: after `idleMs` of silence, the kernel sends probes (empty
  //    segments) and resets the connection if none is answered. Cheap, but slow
  //    (Linux then sends 9 probes, 75 s apart) and invisible to the application.
  socket.setKeepAlive(true, idleMs);
  // 2. An application timeout: no byte for `idleMs`, give up. With a protocol
  //    whose peer must speak regularly (a heartbeat, like Socket.IO's ping/pong),
  //    silence means the peer is gone.
  socket.setTimeout(idleMs, () => socket.destroy(new Error(`no data for ${idleMs} ms: the peer is gone`)));
}
