// env.js — where things are: the repository, the build tree (env BUILD, default build), its server
// binary and client files, and the folder screenshots go to (BUILD/screenshots).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(path.dirname(fileURLToPath(import.meta.url)));  // tests/browser
export const REPO = path.resolve(HERE, '..', '..');

// run.sh exports BUILD as an absolute path; a relative one is taken from the repository root.
export const BUILD = path.resolve(REPO, process.env.BUILD || 'build');
export const SERVER_BIN = process.env.KEHU_SERVER_BIN || path.join(BUILD, 'server', 'crm-server');
// The client files the test servers serve; KEHU_E2E_STATIC replaces them (run.sh --self-check points it
// at selfcheck/fake-client, a stand-in that follows the test-hook contract).
export const WEB_DIR = process.env.KEHU_E2E_STATIC ? path.resolve(process.env.KEHU_E2E_STATIC) : path.join(BUILD, 'web');
// Screenshots of the stand-in client (self-check) go to a folder of their own, never over the real ones.
export const SCREENSHOT_DIR = path.join(BUILD, 'screenshots', ...(process.env.KEHU_E2E_STATIC ? ['selfcheck'] : []));
export const CHROMIUM = process.env.KEHU_CHROMIUM || '/usr/bin/chromium';

// The admin password every test server starts with (KEHU_ADMIN_PASSWORD on first start).
export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'Kehu-e2e-admin-1';

// Multiplies every wait in the helpers (a slow machine, or a debugger attached): KEHU_E2E_SLOW=3.
export const SLOW = Math.max(1, Number(process.env.KEHU_E2E_SLOW) || 1);
export const ms = (n) => Math.round(n * SLOW);

export const sleep = (n) => new Promise((resolve) => setTimeout(resolve, n));

// Throws a readable error when something the tests cannot run without is missing.
export function requireFile(file, what) {
  if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}`);
}
