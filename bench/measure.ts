/**
 * Driving one server with autocannon at fixed concurrency, and asking it single questions to compare answers.
 */
import autocannon from 'autocannon';
import {
  type Answer,
  type HttpRequest,
  isErrorResponse,
  type MixQuery,
  readAnswer,
  type ServerName,
} from './mix.js';
import type { RunningServer } from './servers.js';

export interface Load {
  requests: number;
  seconds: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Non-200 answers, answers carrying errors, socket errors and timeouts. */
  errors: number;
}

export interface DriveOptions {
  seconds: number;
  connections: number;
}

/** The p-th percentile of sorted values, nearest rank. */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedValues.length) - 1;
  return sortedValues[Math.min(sortedValues.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/**
 * Sends the requests round-robin on each connection for the given time; one request makes a single-query run.
 * Latencies are taken from each response as autocannon measures it (hrtime, fractions of a millisecond) rather
 * than from its histogram, which keeps whole milliseconds only: too coarse for the floor's 3 to 5 ms.
 */
export function drive(origin: string, requests: HttpRequest[], o: DriveOptions): Promise<Load> {
  let bad = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections: o.connections,
        duration: o.seconds,
        timeout: 30,
        requests: requests.map((r) => ({
          method: 'POST' as const,
          path: r.path,
          headers: { 'content-type': 'application/json' },
          body: r.body,
          onResponse: (status: number, body: string) => {
            if (isErrorResponse(status, body)) bad += 1;
          },
        })),
      },
      (err: Error | null, result: autocannon.Result) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        const seconds = result.duration;
        resolve({
          requests: result.requests.total,
          seconds,
          rps: seconds > 0 ? result.requests.total / seconds : 0,
          p50_ms: Math.round(percentile(latencies, 50) * 100) / 100,
          p99_ms: Math.round(percentile(latencies, 99) * 100) / 100,
          // Socket errors and timeouts never reach onResponse.
          errors: bad + result.errors + result.timeouts,
        });
      },
    );
    // The tracker emits (client, status, bytes, milliseconds); the published types leave out the client.
    instance.on('response', (...args: unknown[]) => {
      const ms = args[3];
      if (typeof ms === 'number') latencies.push(ms);
    });
  });
}

/** One question, answered and normalised. */
export async function ask(server: RunningServer, query: MixQuery): Promise<Answer> {
  const spec = query[server.name];
  if (!spec) return { ok: false, facts: 'not asked' };
  try {
    const res = await fetch(`${server.origin}${spec.request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: spec.request.body,
      signal: AbortSignal.timeout(60_000),
    });
    return readAnswer(server.name, query, res.status, await res.text());
  } catch (err) {
    return { ok: false, facts: (err as Error).message };
  }
}

/** Requests of the mix for one server: every query it is asked. */
export function mixRequests(server: ServerName, mix: readonly MixQuery[]): HttpRequest[] {
  return mix.flatMap((q) => {
    const spec = q[server];
    return spec ? [spec.request] : [];
  });
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export const sameFacts = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
