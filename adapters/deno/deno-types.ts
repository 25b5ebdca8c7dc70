/**
 * The part of Deno's network API this adapter uses, declared here so the package type-checks
 * without Deno's global types (https://docs.deno.com/api/deno/~/Deno.listen).
 */
export interface DenoAddr {
  hostname: string;
  port: number;
  transport?: string;
}

export interface DenoConn {
  readonly remoteAddr: DenoAddr;
  read(buffer: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
  /** Absent on a TLS connection (https://github.com/denoland/deno/issues/13617). */
  setNoDelay?(noDelay?: boolean): void;
}

export interface DenoListener extends AsyncIterable<DenoConn> {
  readonly addr: DenoAddr;
  accept(): Promise<DenoConn>;
  close(): void;
}

export interface DenoTlsConn extends DenoConn {
  handshake(): Promise<{ alpnProtocol: string | null }>;
}

export interface DenoRuntime {
  listen(options: { hostname: string; port: number; transport?: "tcp" }): DenoListener;
  listenTls(options: {
    hostname: string;
    port: number;
    cert: string;
    key: string;
    alpnProtocols?: string[];
  }): DenoListener;
}
