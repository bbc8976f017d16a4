import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { start } from '../src/server.js';
import { testServerConfig } from './support/db.js';
import { root } from './support/paths.js';

describe('the server', () => {
  it('serves GraphQL and GraphiQL with the example query on a port, and close() stops it', async () => {
    const config = testServerConfig({ LOAD_FACTS: 'if-empty' });
    const lines: string[] = [];
    const running = await start(config, (l) => lines.push(l));
    try {
      const page = await fetch(running.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('marketgraph');
      expect(html).toContain('WhoDistributesXiaomiInKorea');

      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ entity(name: "hàn quốc") { name } }' }),
      });
      expect(await res.json()).toEqual({ data: { entity: { name: 'South Korea' } } });
      expect(lines.at(-1)).toMatch(/^marketgraph serving http:\/\/127\.0\.0\.1:\d+\/graphql/);
    } finally {
      await running.close();
    }
    await expect(fetch(running.url)).rejects.toThrow();
  });

  it('says what to install when there is no NEO4J_URI and no Java or Maven', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-nojava-'));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: '/nonexistent',
        HOME: os.tmpdir(),
        NEO4J_DATA_DIR: path.join(home, 'neo4j'),
      },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('needs a JDK 17+ (java) and Maven (mvn)');
    expect(r.stderr).toContain('docker compose up');
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
  });
});
