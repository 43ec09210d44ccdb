import type net from 'node:net';

export function gradingServerAllowed(): boolean;
export function gradingServerSocket(): string;
export function connectToGradingServer(targetRoot: string): Promise<net.Socket | undefined>;
export function askGradingServer(socket: net.Socket, request: unknown): Promise<unknown>;
export function prepareGradingServer(request: { root: string; isLearnerFolder: boolean; exercises: string[] }): void;
export function adoptGradingServer(root: string, isLearnerFolder: boolean): Promise<unknown> | undefined;
