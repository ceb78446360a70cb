import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ToolResult {
  code: number;
  output: string;
}

/** Runs a verifier; its exit code and stdout+stderr, never a throw for a non-zero exit. */
export async function tool(command: string, args: string[]): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code === 'string') throw error; // ENOENT: the tool is not installed
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A scratch folder for files the verifiers read. */
export async function scratch(): Promise<{
  dir: string;
  file: (name: string, data: Buffer | string) => Promise<string>;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'signing-verify-'));
  return {
    dir,
    file: async (name, data) => {
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** An NSS database (certutil, libnss3-tools) trusting the given root for signatures, for pdfsig -nssdir. */
export async function nssDatabaseTrusting(dir: string, rootPemPath: string): Promise<string> {
  const database = `sql:${dir}`;
  const created = await tool('certutil', ['-N', '-d', database, '--empty-password']);
  if (created.code !== 0) throw new Error(`certutil -N failed: ${created.output}`);
  const added = await tool('certutil', [
    '-A',
    '-d',
    database,
    '-n',
    'Hanoi City Root CA',
    '-t',
    'CT,C,C',
    '-i',
    rootPemPath,
  ]);
  if (added.code !== 0) throw new Error(`certutil -A failed: ${added.output}`);
  return database;
}
