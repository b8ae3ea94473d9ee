// api.js — the server's HTTP API (SPEC §5) as the tests use it: sign in, seed customers, read them back.
// Bearer-token authentication, so no cookie and no CSRF header are needed.
import { randomUUID } from 'node:crypto';

import { ADMIN_PASSWORD, ADMIN_USER, ms, sleep } from './env.js';

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} -> ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

export class Api {
  constructor(baseUrl, token = '') {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  async request(method, path, body, headers = {}) {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        'Accept-Language': 'en',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(ms(15000)),
    });
    const text = await res.text();
    let data = text;
    try { data = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
    if (!res.ok) throw new ApiError(method, path, res.status, data);
    return data;
  }

  // POST /auth/login; keeps the token for the next requests and returns {token, user}.
  async login(username = ADMIN_USER, password = ADMIN_PASSWORD) {
    const answer = await this.request('POST', '/auth/login', { username, password });
    this.token = answer.token;
    return answer;
  }

  // POST /customers -> the created record (201). An Idempotency-Key is sent so a retry creates nothing new.
  createCustomer(record, idempotencyKey = randomUUID()) {
    return this.request('POST', '/customers', record, { 'Idempotency-Key': idempotencyKey });
  }

  getCustomer(id) {
    return this.request('GET', `/customers/${id}`);
  }

  // GET /customers?… -> {items, next_cursor, total, total_exact}.
  listCustomers(params = {}) {
    const query = new URLSearchParams({ limit: '500', ...params }).toString();
    return this.request('GET', `/customers?${query}`);
  }

  // Every customer whose name is exactly `name` (the full-text search narrows, the comparison decides).
  async customersNamed(name) {
    const page = await this.listCustomers({ q: name });
    return page.items.filter((c) => c.name === name);
  }

  // Creates the records `concurrency` at a time; returns the created records in the order given.
  async seedCustomers(records, { concurrency = 8 } = {}) {
    const created = new Array(records.length);
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const i = next++;
        created[i] = await this.createCustomer(records[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
    return created;
  }
}

// Waits until GET /api/v1{path} lists at least one record (a client's save reached the server); returns them.
export function serverRecords(api, path, what = `a record at ${path} on the server`) {
  return pollUntil(async () => {
    const { items } = await api.request('GET', path);
    return items.length > 0 && items;
  }, { what });
}

// Signs in as the admin of a fresh test server.
export async function adminApi(baseUrl) {
  const api = new Api(baseUrl);
  await api.login();
  return api;
}

// Polls `fn` until it returns a truthy value (which is returned) or `timeoutMs` passes; `what` names the
// wait in the error, which also carries the last value or error seen.
export async function pollUntil(fn, { timeoutMs = ms(10000), intervalMs = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

// The status POST /auth/login answers for `username` and `password` from a fresh client: 200 when signed
// in, else the error's (401 wrong, 429 locked, 503 busy).
export async function signInStatus(baseUrl, username, password) {
  try {
    await new Api(baseUrl).login(username, password);
    return 200;
  } catch (e) {
    return e.status;
  }
}
