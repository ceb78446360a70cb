import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between the services and the broker (which advertises the proxy's port, so that
 * every connection passes here). `pass` forwards; `drop` resets every connection and every new
 * one (the broker's host refusing); `blackhole` accepts and swallows bytes without a word in
 * either direction (a partition: clients wait for their own timeouts). Leaving `blackhole`
 * closes the swallowed connections, as their timeouts would have.
 */
export type ProxyMode = 'pass' | 'drop' | 'blackhole';

interface Pair {
  client: Socket;
  upstream?: Socket;
}

export class TcpProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<Pair>();
  private current: ProxyMode = 'pass';
  connections = 0;

  constructor(
    readonly listenPort: number,
    readonly targetPort: number,
    readonly host = '127.0.0.1',
  ) {}

  get mode(): ProxyMode {
    return this.current;
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, this.host, () => resolve());
    });
    this.server = server;
  }

  setMode(mode: ProxyMode): void {
    const previous = this.current;
    this.current = mode;
    if (mode === 'drop' || (previous === 'blackhole' && mode === 'pass')) {
      for (const pair of [...this.pairs]) this.close(pair, true);
    } else if (mode === 'blackhole') {
      for (const pair of this.pairs) this.swallow(pair);
    }
  }

  async stop(): Promise<void> {
    for (const pair of [...this.pairs]) this.close(pair, false);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    this.connections += 1;
    client.on('error', () => undefined);
    if (this.current === 'drop') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client };
    this.pairs.add(pair);
    client.on('close', () => this.close(pair, false));
    if (this.current === 'blackhole') {
      this.swallow(pair);
      return;
    }
    const upstream = createConnection({ host: this.host, port: this.targetPort });
    pair.upstream = upstream;
    upstream.on('error', () => this.close(pair, true));
    upstream.on('close', () => this.close(pair, false));
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Stop forwarding; read and discard whatever either side sends. */
  private swallow(pair: Pair): void {
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.removeAllListeners('data');
    pair.client.on('data', () => undefined);
    if (pair.upstream) {
      pair.upstream.removeAllListeners('data');
      pair.upstream.on('data', () => undefined);
    }
  }

  private close(pair: Pair, reset: boolean): void {
    if (!this.pairs.delete(pair)) return;
    for (const socket of [pair.client, pair.upstream]) {
      if (!socket || socket.destroyed) continue;
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
  }
}
