/**
 * A TCP proxy in front of the test server, one per client: cutting it takes exactly that client
 * offline (open connections die, new ones are refused) while the server and other clients go on.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface CuttableProxy {
  readonly url: string;
  readonly online: boolean;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: () => number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let online = true;
  const server: Server = createServer((client) => {
    if (!online) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort(), '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get online() {
      return online;
    },
    cut() {
      online = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      online = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        online = false;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
