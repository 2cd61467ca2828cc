// Where the local runner keeps its executions (what Step Functions keeps in AWS): one JSON file per
// workflow and request, so `status` and `teardown` find them again from another process.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowName } from './definitions.ts';
import type { RunStats } from './local-runner.ts';
import type { RunProgress } from './results.ts';

export interface ExecutionRecord {
  workflow: WorkflowName;
  requestId: string;
  executionName: string;
  /** 1 for the first execution of this workflow for the request, then 2, 3, … */
  attempt?: number;
  /** the process running it (local runner), so an execution whose process died is known as interrupted */
  pid?: number;
  /** canonical hash of the request body, to refuse the same id with a different body */
  requestHash: string;
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  stoppedAt?: string;
  currentStep?: string;
  /** the latest waiting status and actions a step reported (results.ts progressOf), while RUNNING */
  progress?: RunProgress;
  output?: unknown;
  error?: string;
  cause?: string;
  stats?: RunStats;
}

export class FileExecutionStore {
  constructor(private readonly dir: string) {}

  private path(workflow: WorkflowName, requestId: string): string {
    // The id becomes a file name: never a path, whoever calls.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(requestId)) throw new Error('not a request id: 1-64 characters of A-Za-z0-9_-');
    return join(this.dir, 'executions', `${workflow}-${requestId}.json`);
  }

  async get(workflow: WorkflowName, requestId: string): Promise<ExecutionRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.path(workflow, requestId), 'utf8')) as ExecutionRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(record: ExecutionRecord): Promise<void> {
    const path = this.path(record.workflow, record.requestId);
    await mkdir(join(this.dir, 'executions'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
    await rename(tmp, path);
  }

  async list(workflow: WorkflowName): Promise<ExecutionRecord[]> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'executions'));
    } catch {
      return [];
    }
    const records: ExecutionRecord[] = [];
    for (const name of names.filter((n) => n.startsWith(`${workflow}-`) && n.endsWith('.json')).sort()) {
      const record = await this.get(workflow, name.slice(workflow.length + 1, -'.json'.length));
      if (record) records.push(record);
    }
    return records;
  }
}
