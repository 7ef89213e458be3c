// Embedded mode only: a development admin account, so a newcomer can use staff mutations
// right away. Its password is generated once and kept under DATA_DIR (git-ignored).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevAdmin {
  email: string;
  password: string;
}

export function devAdminCredentials(dataDir: string): DevAdmin {
  const file = path.resolve(dataDir, 'dev-admin.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevAdmin;
  const admin = { email: 'admin@grocery.local', password: randomBytes(12).toString('base64url') };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(admin, null, 2), { mode: 0o600 });
  return admin;
}
