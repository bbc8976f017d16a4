import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manuals, root } from './support/paths.js';

/** Markdown without its fenced blocks: what is inside them is neither a link nor a heading. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\S\n]*$/gm, '');
}

/** Targets of [text](target) and ![alt](target) outside code, without an optional "title". */
function linksIn(markdown: string): string[] {
  const prose = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
}

/** GitHub's heading anchors: link text kept, lower case, punctuation dropped, spaces to hyphens. */
function anchorsIn(markdown: string): Set<string> {
  const headings = [...withoutFences(markdown).matchAll(/^#{1,6}[^\S\n]+(.+?)[^\S\n]*#*$/gm)];
  return new Set(
    headings.map((m) =>
      (m[1] ?? '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

/** What is wrong with each relative link of a file: a missing target, or a missing heading in a Markdown target. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const broken: string[] = [];
  for (const link of linksIn(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto: and the like
    const [target = '', anchor] = link.split('#', 2);
    const resolved = target === '' ? path.join(root, file) : path.resolve(root, path.dirname(file), target);
    if (!resolved.startsWith(root) || !existsSync(resolved)) {
      broken.push(`${link}: no such file`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !anchorsIn(readFileSync(resolved, 'utf8')).has(anchor)) {
      broken.push(`${link}: no such heading`);
    }
  }
  return broken;
}

describe('the README and docs/*.md', () => {
  it('include the reference pages', () => {
    expect(manuals).toEqual(
      expect.arrayContaining(['docs/api.md', 'docs/operations.md', 'docs/benchmarks.md']),
    );
  });

  it.each(manuals)('%s links only to files and headings that exist', (file) => {
    expect(linksIn(readFileSync(path.join(root, file), 'utf8')).length).toBeGreaterThan(0);
    expect(brokenLinks(file)).toEqual([]);
  });
});
