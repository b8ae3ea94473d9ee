// server.js — a crm-server of its own for one test: a fresh database in a temp folder, the admin password
// from KEHU_ADMIN_PASSWORD, loopback only, the client files from BUILD/web. It is killed when the test
// stops it, and in any case when this node process exits (failure, Ctrl+C, SIGTERM from CTest).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { ADMIN_PASSWORD, SERVER_BIN, WEB_DIR, ms, requireFile, sleep } from './env.js';

const live = new Set();  // child processes not yet reaped

function killAll() {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + (os.constants.signals[signal] || 1));
  });
}

// A port nobody listens on now (the kernel's pick for port 0, released again). Another process could
// take it before the server binds; start() then retries with a new one.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForHealth(baseUrl, child, timeoutMs = ms(15000)) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`crm-server exited with ${child.exitCode} before /healthz answered`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.ok) return JSON.parse(body);
      last = `${res.status} ${body}`;
    } catch (e) {
      last = String(e.cause?.code || e.message);
    }
    await sleep(100);
  }
  throw new Error(`crm-server did not answer /healthz within ${timeoutMs} ms (last: ${last})`);
}

class Server {
  constructor({ dir, dbPath, staticDir, env }) {
    this.dir = dir;
    this.dbPath = dbPath;
    this.staticDir = staticDir;
    this.env = env;
    this.logLines = [];
    this.child = null;
  }

  log(lastLines = 40) {
    return this.logLines.slice(-lastLines).join('\n');
  }

  // Starts crm-server on `port` (its database and folder stay this server's) and waits for /healthz.
  async launch(port) {
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    const args = ['serve', '--db', this.dbPath, '--host', '127.0.0.1', '--port', String(port)];
    if (this.staticDir) args.push('--static', this.staticDir);
    const child = spawn(SERVER_BIN, args, { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(child);
    const logFile = fs.createWriteStream(path.join(this.dir, 'server.log'), { flags: 'a' });
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (text) => {
        logFile.write(text);
        for (const line of text.split('\n')) if (line) this.logLines.push(line);
        if (this.logLines.length > 2000) this.logLines.splice(0, this.logLines.length - 1000);
      });
    }
    child.on('exit', () => { live.delete(child); logFile.end(); });
    const spawned = await new Promise((resolve) => {
      child.once('spawn', () => resolve(null));
      child.once('error', (e) => resolve(e));
    });
    if (spawned) throw new Error(`cannot start ${SERVER_BIN}: ${spawned.message}`);
    try {
      await waitForHealth(this.baseUrl, child);
    } catch (e) {
      await this.halt();
      throw new Error(`${e.message}\n--- crm-server output ---\n${this.log()}`);
    }
  }

  // SIGTERM (the server stops cleanly), SIGKILL after 5 s. The database and folder stay: `resume()`
  // starts the server again on the same port, as when a server is restarted or was unreachable.
  async halt() {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms(5000));
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
    this.child = null;
  }

  async resume() {
    await this.launch(this.port);
  }

  // halt(), then the temp folder goes unless KEHU_E2E_KEEP=1.
  async stop() {
    await this.halt();
    if (process.env.KEHU_E2E_KEEP === '1') {
      console.log(`# kept server folder ${this.dir}`);
    } else {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

// Copies a database file (and its -wal, if there is one) to `to`, so the server works on a copy.
function copyDatabase(from, to) {
  requireFile(from, 'the database to start from');
  for (const suffix of ['', '-wal']) {
    if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
  }
}

// Starts a server and waits until /healthz answers. Options: staticDir (default BUILD/web), adminPassword,
// env (extra variables), port (default: a free one), dbFile (a database to start from: a copy of it goes
// into the temp folder; without it the database is fresh and the admin is created on first start).
export async function startServer(options = {}) {
  requireFile(SERVER_BIN, 'crm-server (build it: cmake --build BUILD --target crm-server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kehu-e2e-'));
  const server = new Server({
    dir,
    dbPath: path.join(dir, 'kehu.db'),
    staticDir: options.staticDir ?? WEB_DIR,
    env: { ...process.env, KEHU_ADMIN_PASSWORD: options.adminPassword ?? ADMIN_PASSWORD, ...options.env },
  });
  let lastError;
  for (let attempt = 0; attempt < 3; ++attempt) {
    try {
      if (options.dbFile) copyDatabase(options.dbFile, server.dbPath);
      await server.launch(options.port ?? await freePort());
      return server;
    } catch (e) {
      lastError = e;
      // Only a lost race for the port is worth another try.
      if (!/cannot listen/.test(server.log()) || options.port) break;
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(server.dbPath + suffix, { force: true });
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
