/**
 * Live widgets that talk to the playground (`npm run playground`, or `npm start`).
 * Each says how to start it when it is not running. Embed one in a lesson with
 * `import { ConnectDemo } from '@site/src/components/live';` and `<ConnectDemo />`.
 */
export { default as ConnectDemo } from './ConnectDemo';
export { default as RoomsDemo } from './RoomsDemo';
export { default as ReconnectDemo } from './ReconnectDemo';
export { default as HandshakeView, SequenceDiagram } from './HandshakeView';
export { playgroundUrl, DEFAULT_PLAYGROUND_URL } from './playground';
