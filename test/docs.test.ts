import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = join(ROOT, 'README.md');
const DOCS = join(ROOT, 'docs');
const DOCS_INDEX = join(DOCS, 'README.md');

/** About a screen or two: the README is a front door, and reference belongs in docs/. */
const README_MAX_BYTES = 12 * 1024;

async function markdownFiles(): Promise<string[]> {
  const pages = (await readdir(DOCS)).filter((name) => name.endsWith('.md')).sort();
  return [README, ...pages.map((name) => join(DOCS, name))];
}

/** Code blocks hold examples, not links or headings. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?^[ \t]*\1[^\n]*$/gm, '');
}

/** The targets of a page's inline links and images, as written (`../docs/x.md#part`); code spans hold none. */
function linkTargets(markdown: string): string[] {
  const prose = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of withoutCodeBlocks(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const visible = text!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const slug = visible.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    anchors.add(repeats ? `${slug}-${repeats}` : slug);
  }
  return anchors;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** Where a relative link from `page` leads: the file, and the heading anchor if it names one. */
function resolveLink(page: string, target: string): { file: string; anchor: string | undefined } {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  return { file: path ? resolve(dirname(page), decodeURIComponent(path)) : page, anchor: anchor || undefined };
}

describe('the README and docs/', () => {
  it('keeps the README a front door of at most 12 kB', async () => {
    // A newcomer reads the whole README; what they look up lives in docs/.
    const { size } = await stat(README);
    expect(size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('links only to files that exist, and only to headings those files have', async () => {
    // Every relative link in the README and docs/ lands on a file of the checkout, and on a heading of it when it names one.
    const broken: string[] = [];
    for (const page of await markdownFiles()) {
      for (const target of linkTargets(await readFile(page, 'utf8'))) {
        if (isExternal(target)) continue;
        const { file, anchor } = resolveLink(page, target);
        const where = `${relative(ROOT, page)} → ${target}`;
        if (!existsSync(file)) {
          broken.push(`${where}: no such file`);
        } else if (anchor && extname(file) === '.md' && !headingAnchors(await readFile(file, 'utf8')).has(anchor)) {
          broken.push(`${where}: no heading with that anchor`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('links every docs page from the README or the docs index', async () => {
    // A page nobody links to is a page nobody finds.
    const linked = new Set<string>();
    for (const page of [README, DOCS_INDEX]) {
      for (const target of linkTargets(await readFile(page, 'utf8'))) {
        if (!isExternal(target)) linked.add(resolveLink(page, target).file);
      }
    }
    const pages = (await markdownFiles()).filter((page) => page !== README);
    expect(pages.filter((page) => !linked.has(page)).map((page) => relative(ROOT, page))).toEqual([]);
  });
});
