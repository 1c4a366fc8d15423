/**
 * The named operations of examples/*.graphql, read at build time: the bundle
 * carries them, so the IDE offers exactly the examples the tests run.
 */
const files = import.meta.glob<string>('../../examples/*.graphql', { query: '?raw', import: 'default', eager: true });

export interface Example {
  /** The file's base name, e.g. "neighbourhood". */
  file: string;
  /** The operation's name, e.g. "Neighbourhood". */
  name: string;
  /** The comment above the operation: who it is for and what it answers. */
  description: string;
  /** The same in Thai, where the file has it: its comment lines that start `# th:`. */
  descriptionTh?: string;
  query: string;
}

/** A comment line in Thai: `# th: …`. */
const THAI = /^th:\s*/;

export const examples: Example[] = Object.entries(files)
  .map(([path, query]) => {
    const file = path.replace(/^.*\/|\.graphql$/g, '');
    const name = /^\s*(?:query|mutation|subscription)\s+(\w+)/m.exec(query)?.[1] ?? file;
    const comments = query
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^#\s?/, ''));
    const description = comments.filter((line) => !THAI.test(line)).join(' ');
    const descriptionTh = comments
      .filter((line) => THAI.test(line))
      .map((line) => line.replace(THAI, ''))
      .join(' ');
    return { file, name, description, ...(descriptionTh ? { descriptionTh } : {}), query };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
