// The status page in a real headless Chromium (Debian's `chromium`, driven by playwright-core): `serve`'s
// server in-process over a fresh sandbox, a provisioning held at three AWS calls in turn so the page is
// seen following it (the highlighted state moving, the states passed marked) to READY, its connection
// string copied with the button; a failure shown with its step and code; and hostile text from the API
// rendered as text, with no CSP violation and nothing run.
//
// STATUS_PAGE_SCREENSHOT=docs/status-page.png npx vitest run test/http/status-page.browser.test.ts
// refreshes the README's screenshot (not written otherwise, so `npm test` leaves the tree clean).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { InitializeHandlerArguments, InitializeMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHttpHandler } from '../../src/cli/serve-app.ts';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import type { WorkflowPort } from '../../src/core/app/workflow-port.ts';
import { onClientCreated } from '../../src/core/aws/clients.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import type { LocalWorkflows } from '../../src/http/local-workflows.ts';
import { type RunningServer, startHttpServer } from '../../src/http/node-server.ts';
import { handleHttp } from '../../src/http/routes.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A bound, not a measure: the page polls each second and CI runs test files side by side. */
const BROWSER_TEST_MS = 120_000;

/** Holds the sandbox's answer to one AWS operation until released: the run stands still in a known step. */
class Hold {
  private releaseGate: () => void = () => {};
  private markReached: () => void = () => {};
  readonly gate = new Promise<void>((resolve) => {
    this.releaseGate = resolve;
  });
  readonly reached = new Promise<void>((resolve) => {
    this.markReached = resolve;
  });
  constructor(readonly operation: string) {}
  arrive(): Promise<void> {
    this.markReached();
    return this.gate;
  }
  release(): void {
    this.releaseGate();
  }
}
const holds = new Map<string, Hold>();
function hold(operation: string): Hold {
  const h = new Hold(operation);
  holds.set(operation, h);
  return h;
}
function release(h: Hold): void {
  holds.delete(h.operation);
  h.release();
}

/** Runs before the sandbox's own middleware on every SDK client: waits while the operation is held. */
const gate: InitializeMiddleware<object, MetadataBearer> =
  (next, context) => async (args: InitializeHandlerArguments<object>) => {
    const h = holds.get((context.commandName ?? '').replace(/Command$/, ''));
    if (h) await h.arrive();
    return next(args);
  };

let sandbox: SandboxDir;
let env: Environment;
let server: RunningServer;
let workflows: LocalWorkflows;
let browser: Browser;
let context: BrowserContext;
let unhook: () => void = () => {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The status page's browser test needs Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; .ci/run installs it; ` +
        'or set CHROMIUM_PATH). Do not use `npx playwright install`.',
    );
  sandbox = await sandboxDir();
  env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  unhook = onClientCreated((client) => {
    const stack = client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>;
    stack.addRelativeTo(gate, {
      relation: 'before',
      toMiddleware: 'privatelinkSandbox',
      name: 'statusPageTestGate',
      override: true,
    });
  });
  const app = localHttpHandler(env, { log: () => {} });
  workflows = app.workflows;
  server = await startHttpServer(app.handle, { port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
}, BROWSER_TEST_MS);

afterAll(async () => {
  for (const h of [...holds.values()]) release(h);
  await browser?.close();
  await server?.close();
  // The hand-off request still waits for the other party: its deadline, on the simulated clock, ends it.
  env?.sandbox?.advance(3 * 24 * 3600);
  await workflows?.settled();
  unhook();
  await env?.close();
  await sandbox?.cleanup();
}, BROWSER_TEST_MS);

async function post(body: unknown): Promise<number> {
  const response = await fetch(`${server.url}/endpoints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

async function result(requestId: string): Promise<ProvisionResult> {
  return (await (await fetch(`${server.url}/endpoints/${requestId}`)).json()) as ProvisionResult;
}

async function untilStatus(requestId: string, wanted: ProvisionResult['status']): Promise<ProvisionResult> {
  let last: ProvisionResult | undefined;
  for (let i = 0; i < 400; i++) {
    last = await result(requestId);
    if (last.status === wanted) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${requestId} never reached ${wanted}: ${JSON.stringify(last)}`);
}

/** Polls the page (the page polls the API every second) until `check` holds; fails naming what it last saw. */
async function untilPage<T>(page: Page, what: string, read: () => T, check: (seen: T) => boolean): Promise<T> {
  let seen: T | undefined;
  for (let i = 0; i < 200; i++) {
    seen = (await page.evaluate(read)) as T;
    if (check(seen)) return seen;
    await page.waitForTimeout(100);
  }
  throw new Error(`the page never showed ${what}; last saw ${JSON.stringify(seen)}`);
}

/** The little of the DOM the checks read (the project's TypeScript has no DOM library: it runs on Node). */
interface PageElement {
  readonly classList: Iterable<string>;
  readonly className: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
  querySelector(selector: string): PageElement | null;
}
interface PageGlobals {
  document: PageElement & { documentElement: PageElement; getElementById(id: string): PageElement | null };
  navigator: { clipboard: { readText(): Promise<string> } };
  __pwned?: number;
}
/** What the page shows: the marked state, each state's marks, and the table's rows. */
function pageState() {
  const { document } = globalThis as unknown as PageGlobals;
  const marks: Record<string, string[]> = {};
  for (const node of document.querySelectorAll('#graph-provision [data-state]')) {
    const classes = [...node.classList].filter((c) => ['current', 'visited', 'failed', 'done'].includes(c));
    if (classes.length > 0) marks[node.getAttribute('data-state') ?? ''] = classes;
  }
  // [request id, status, step, endpoint id] per row
  const rows = [...document.querySelectorAll('#requests tbody tr')].map((tr) => {
    const [first, ...rest] = [...tr.querySelectorAll('td')];
    return [
      first?.querySelector('strong')?.textContent ?? '',
      ...rest.map((td) => td.textContent ?? ''),
      first?.querySelector('.endpoint')?.textContent ?? '',
    ];
  });
  const teardown: Record<string, string[]> = {};
  for (const node of document.querySelectorAll('#graph-teardown [data-state]')) {
    const classes = [...node.classList].filter((c) => ['current', 'visited', 'failed', 'done'].includes(c));
    if (classes.length > 0) teardown[node.getAttribute('data-state') ?? ''] = classes;
  }
  const shown = (id: string) => document.getElementById(id)?.getAttribute('hidden') === null;
  return {
    teardown,
    graphs: { provision: shown('wrap-provision'), teardown: shown('wrap-teardown') },
    current: document.documentElement.getAttribute('data-current-state') ?? '',
    caption: document.getElementById('graph-caption')?.textContent ?? '',
    marks,
    rows,
    detail: document.getElementById('detail')?.textContent ?? '',
    live: document.getElementById('live')?.className ?? '',
  };
}

/** Chromium's own reports of anything the page's CSP blocked, and the page's uncaught errors. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

describe('the status page in Chromium', () => {
  it(
    'follows a provisioning step by step to READY, shows a failure, and copies the connection string',
    async () => {
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(`${server.url}/`);
      expect(await page.title()).toBe('privatelink status');
      await untilPage(page, 'the empty list', pageState, (s) => s.live.includes('ok'));

      const orders = await example('orders-nlb-tcp.json');
      const bad = {
        ...orders,
        requestId: 'status-page-bad',
        consumer: { ...(orders.consumer as object), subnetIds: ['subnet-0000000000000dead'] },
        target: { kind: 'tcp', host: 'orders-bad.internal.example.com', port: 5432, scheme: 'postgresql' },
      };
      expect(await post(bad)).toBe(202);
      const failed = await untilStatus('status-page-bad', 'FAILED');
      expect(failed.error?.step).toBe('CreateInterfaceEndpoint');

      const partner = {
        ...orders,
        requestId: 'status-page-partner',
        consumer: { external: { accountId: env.sandbox?.accountId } },
        target: { kind: 'tcp', host: 'orders-partner.internal.example.com', port: 5432, scheme: 'postgresql' },
      };
      expect(await post(partner)).toBe(202);
      await untilStatus('status-page-partner', 'WAITING_FOR_CONSUMER');

      // The provisioning, stopped at three AWS calls, each made once and only by its step, in whatever order
      // the workflow reaches them: the page must show each step as it is reached, the earlier ones as passed.
      const stepOf: Record<string, string> = {
        CreateVpcEndpoint: 'CreateInterfaceEndpoint',
        ChangeResourceRecordSets: 'UpsertDnsRecords',
        AcceptVpcEndpointConnections: 'AcceptEndpointConnection',
      };
      const waiting = new Set(Object.keys(stepOf).map(hold));
      expect(await post({ ...orders, requestId: 'status-page-orders' })).toBe(202);
      const passed: string[] = [];
      while (waiting.size > 0) {
        const held = await Promise.race([...waiting].map((h) => h.reached.then(() => h)));
        waiting.delete(held);
        const state = stepOf[held.operation] ?? '';
        if (passed.length === 0) {
          await untilPage(page, 'the request in the list', pageState, (s) =>
            s.rows.some((r) => r[0] === 'status-page-orders'),
          );
          await page.click('#requests tr[data-request-id="status-page-orders"]');
        }
        const shown = await untilPage(page, `${state} highlighted`, pageState, (s) => s.current === state);
        expect(shown.marks[state]).toEqual(['current']);
        expect(shown.rows).toContainEqual(['status-page-orders', 'PROVISIONING', state, expect.any(String)]);
        expect(shown.caption).toBe(`status-page-orders: PROVISIONING at ${state} (provision workflow)`);
        for (const earlier of passed) expect(shown.marks[earlier], `${earlier} while at ${state}`).toEqual(['visited']);
        passed.push(state);
        release(held);
      }
      expect(passed[0]).toBe('CreateInterfaceEndpoint');
      expect([...passed].sort()).toEqual(Object.values(stepOf).sort());

      const ready = await untilStatus('status-page-orders', 'READY');
      const url = ready.connectionStrings?.url ?? '';
      expect(url).toBe('postgresql://orders-db.internal.example.com:5432');
      const done = await untilPage(page, 'READY', pageState, (s) =>
        s.rows.some((r) => r[0] === 'status-page-orders' && r[1] === 'READY'),
      );
      expect(done.current).toBe('Ready');
      expect(done.marks.Ready).toEqual(['done']);
      for (const state of passed) expect(done.marks[state], state).toEqual(['visited']);
      expect(done.detail).toContain(ready.endpoint?.endpointId ?? 'an endpoint id');
      expect(done.rows).toContainEqual(['status-page-orders', 'READY', '', ready.endpoint?.endpointId]);
      expect(done.rows).toContainEqual(['status-page-bad', 'FAILED', 'CreateInterfaceEndpoint', '']);
      expect(done.rows).toContainEqual(['status-page-partner', 'WAITING_FOR_CONSUMER', 'WaitForConsumer', '']);

      const screenshot = await page.screenshot({ fullPage: true });
      expect(screenshot.length).toBeGreaterThan(10_000);
      const target = process.env.STATUS_PAGE_SCREENSHOT;
      if (target) await writeFile(target, screenshot);

      const block = page.locator('#detail [data-kind="url"]');
      expect(await block.locator('code').textContent()).toBe(url);
      await block.locator('button.copy').click();
      await untilPage(
        page,
        'the button saying Copied',
        () =>
          (globalThis as unknown as PageGlobals).document.querySelector('#detail [data-kind="url"] button')
            ?.textContent,
        (t) => t === 'Copied',
      );
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText())).toBe(
        url,
      );

      await page.click('#requests tr[data-request-id="status-page-bad"]');
      const failure = await untilPage(page, 'the failure', pageState, (s) => s.current === 'CreateInterfaceEndpoint');
      expect(failure.marks.CreateInterfaceEndpoint).toEqual(['failed']);
      expect(failure.detail).toContain(`${failed.error?.code} at CreateInterfaceEndpoint`);
      expect(failure.detail).toContain(failed.error?.message ?? 'a message');

      // Torn down: the page switches to the teardown workflow and ends on its Deleted state.
      const deleting = await fetch(`${server.url}/endpoints/status-page-orders`, { method: 'DELETE' });
      expect(deleting.status).toBe(202);
      await page.click('#requests tr[data-request-id="status-page-orders"]');
      const deleted = await untilPage(page, 'DELETED on the teardown workflow', pageState, (s) =>
        s.caption.startsWith('status-page-orders: DELETED'),
      );
      expect(deleted.caption).toBe('status-page-orders: DELETED at Deleted (teardown workflow)');
      // (RemoveResources is marked passed if a poll caught it DELETING)
      const { Deleted, ...passedOnTheWay } = deleted.teardown;
      expect(Deleted).toEqual(['done']);
      for (const marks of Object.values(passedOnTheWay)) expect(marks).toEqual(['visited']);
      expect(deleted.graphs).toEqual({ provision: false, teardown: true });
      expect(problems).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows hostile text from the API as text: nothing runs, nothing breaks the CSP, commands copy exactly',
    async () => {
      const evil = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'"&`;
      const command = `aws ec2 create-vpc-endpoint --vpc-id vpc-1 --service-name "${evil}"`;
      const results: ProvisionResult[] = [
        {
          requestId: `<svg onload="window.__pwned=3">`,
          status: 'WAITING_FOR_CONSUMER',
          currentStep: `WaitForConsumer"><img src=x onerror="window.__pwned=4">`,
          actions: [{ who: 'consumer', what: evil, command, endpointId: evil }],
          connectionStrings: { url: `https://x/${evil}` },
        },
        {
          requestId: 'failed-one',
          status: 'FAILED',
          error: { code: `Code${evil}`, step: 'CheckEndpoint', message: evil },
          undone: [evil],
        },
      ];
      const fake: WorkflowPort = {
        startProvision: () => Promise.reject(new Error('not used')),
        getResult: async (id) => results.find((r) => r.requestId === id),
        listResults: async () => ({
          items: results,
          unreadable: [{ requestId: 'broken-one', error: { code: 'Unreadable', message: evil } }],
        }),
        startTeardown: () => Promise.reject(new Error('not used')),
        finalize: () => Promise.reject(new Error('not used')),
      };
      const hostile = await startHttpServer((event) => handleHttp(event, { workflows: fake }), { port: 0 });
      const page = await context.newPage();
      try {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hostile.url });
        const problems = watch(page);
        await page.goto(`${hostile.url}/`);
        const shown = await untilPage(page, 'the hostile results', pageState, (s) => s.rows.length === 3);
        expect(shown.rows.map((r) => r[0])).toEqual([`<svg onload="window.__pwned=3">`, 'failed-one', 'broken-one']);
        expect(shown.rows[2]?.[2]).toBe(`Unreadable: ${evil}`);
        expect(shown.detail).toContain(evil);
        const action = page.locator('#actions .action pre');
        expect(await action.textContent()).toBe(command);
        await page.locator('#actions .action button.copy').click();
        await untilPage(
          page,
          'the command copied',
          () => (globalThis as unknown as PageGlobals).document.querySelector('#actions .action button')?.textContent,
          (t) => t === 'Copied',
        );
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText())).toBe(
          command,
        );
        await page.click('#requests tr[data-request-id="failed-one"]');
        const failure = await untilPage(page, 'the failure', pageState, (s) => s.current === 'CheckEndpoint');
        expect(failure.detail).toContain(`Code${evil} at CheckEndpoint`);
        // Only the page's own elements exist: no injected image, script or SVG, and no handler ran.
        const injected = await page.evaluate(() => {
          const page = globalThis as unknown as PageGlobals;
          return {
            pwned: page.__pwned,
            images: page.document.querySelectorAll('img').length,
            scripts: page.document.querySelectorAll('script').length,
            svgs: page.document.querySelectorAll('svg').length,
          };
        });
        expect(injected).toEqual({ pwned: undefined, images: 0, scripts: 1, svgs: 2 });
        expect(problems).toEqual([]);
      } finally {
        await page.close();
        await hostile.close();
      }
    },
    BROWSER_TEST_MS,
  );
});
