// Loads the hand-written fixtures (fixtures/*.json) with their types.
import { readFileSync } from 'node:fs';
import type { Reply } from './server.ts';

export interface CallFixture {
  source: string;
  call: string[];
  request: { method: string; path: string; accept: string; contentType?: string; body?: unknown };
  response: Reply;
  result?: unknown;
}

export interface ErrorFixture {
  name: string;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  contentType?: string;
  expect: { class: 'AtlasApiError' | 'TransientAtlasError'; code: string; detail: string; retryAfterSeconds?: number };
}

export interface TokenFixture {
  credentials: { clientId: string; clientSecret: string };
  request: { method: string; path: string; headers: Record<string, string>; body: string };
  response: Reply;
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
}

export const callFixture = (operation: string) => load<CallFixture>(operation);
export const tokenFixture = () => load<TokenFixture>('token');
export const errorFixtures = () => load<{ errors: ErrorFixture[] }>('errors').errors;

/** An ErrorFixture as the fake server's reply. */
export function errorReply(fixture: ErrorFixture): Reply {
  const reply: Reply = { status: fixture.status, body: fixture.body };
  if (fixture.headers) reply.headers = fixture.headers;
  if (fixture.contentType) reply.contentType = fixture.contentType;
  return reply;
}
