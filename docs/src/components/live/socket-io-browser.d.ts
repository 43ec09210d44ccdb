// The browser bundle of socket.io-client has the same API as the package itself. The site
// imports the bundle so the server-side render never pulls in `ws` (a Node-only dependency).
declare module 'socket.io-client/dist/socket.io.js' {
  export * from 'socket.io-client';
}
