import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ClassDocs {
  file: string;
  /** Property name → its TSDoc text. */
  fields: Map<string, string>;
}

/**
 * Reads the TSDoc of every class property under `sourceDir`, so that the TSDoc written on the
 * event classes is the only place a field is described: schemas and AsyncAPI take it from here.
 * Syntax only (no type-checker), so it is fast enough for a unit test.
 */
export function readClassDocs(sourceDir: string): Map<string, ClassDocs> {
  const docs = new Map<string, ClassDocs>();
  for (const file of typeScriptFiles(sourceDir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const fields = new Map<string, string>();
      for (const member of node.members) {
        if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        const text = ts
          .getJSDocCommentsAndTags(member)
          .filter(ts.isJSDoc)
          .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim();
        if (text) fields.set(member.name.text, text);
      }
      docs.set(node.name.text, { file, fields });
    });
  }
  return docs;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}
