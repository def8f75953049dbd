// The real headless relay for the recipient-page specs (relay-pages, relay-a11y): started on
// 127.0.0.1:0 (the binary prints the address it bound, so nothing waits on a timer), with a
// cheap passphrase hash, and secrets created through its v1 API.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The relay binary: `npm run e2e:relay` builds it first. */
export const RELAY_BIN = process.env.HUSHLINK_RELAY_BIN ?? join(ROOT, 'target/debug/hushlink-relay');

export interface Relay {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** A temporary dir holding `data/` and `relay.toml`, removed by `stopRelay`. */
  dir: string;
}

/** Starts the headless relay on an ephemeral port and waits for its one stdout line. */
export async function startRelay(): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'hushlink-relay-e2e-'));
  const config = join(dir, 'relay.toml');
  // A cheap Argon2 cost: the debug binary hashes slowly, and the cost is not under test here.
  writeFileSync(config, '[relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n');
  const child = spawn(RELAY_BIN, ['--listen', '127.0.0.1:0', '--data-dir', join(dir, 'data'), '--config', config], {
    env: { ...process.env, HUSHLINK_LOG: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('error', (err) => reject(new Error(`cannot start ${RELAY_BIN} (cargo build -p hushlink-relay): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`relay exited (${code}) before listening: ${stderr}`)));
  });
  return { url, child, dir };
}

/** Stops the relay (SIGTERM, then waits for it to exit) and removes its data. */
export async function stopRelay(relay: Relay): Promise<void> {
  if (relay.child.exitCode === null) {
    const exited = new Promise((resolve) => relay.child.once('exit', resolve));
    process.kill(relay.child.pid!, 'SIGTERM');
    await exited;
  }
  rmSync(relay.dir, { recursive: true, force: true });
}

export interface Shared {
  secretKey: string;
  receiptKey: string;
}

/** Creates a secret through the v1 API (loopback may create without a token). */
export async function share(relay: Relay, fields: Record<string, string>): Promise<Shared> {
  const response = await fetch(`${relay.url}/api/v1/share`, { method: 'POST', body: new URLSearchParams(fields) });
  if (response.status !== 200) throw new Error(`share answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { secret_key: string; metadata_key: string };
  return { secretKey: body.secret_key, receiptKey: body.metadata_key };
}
