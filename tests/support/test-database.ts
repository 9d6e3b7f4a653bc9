/**
 * Each test run gets a database of its own, created empty and dropped at the end, so a run never sees
 * rows or migrations left by the demo, another checkout or a parallel run on the same server.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestDatabase(serverUrl: string): Promise<string> {
  const name = `notify_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!name.startsWith('notify_test_')) throw new Error(`refusing to drop ${name}: not a test database`);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
