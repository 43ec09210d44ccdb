/**
 * What checks share: import everything from `./support/index.ts`.
 *
 * @module
 */
export * from './acks.ts';
export * from './bytes.ts';
export * from './check-failure.ts';
export * from './clients.ts';
export * from './connect-attempt.ts';
export * from './event-queue.ts';
export * from './learner-module.ts';
export * from './learner-server.ts';
export * from './leaks.ts';
export * from './method-watch.ts';
export * from './random.ts';
export * from './raw-http.ts';
export * from './received.ts';
export * from './reference-server.ts';
export * from './restartable-server.ts';
export * from './server-contract.ts';
export * from './settle.ts';
export * from './type-assertions.ts';
export * from './uncaught.ts';
export * from './wait.ts';
export * from './websocket.ts';
export * from './workbench.ts';
