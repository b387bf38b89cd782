#!/usr/bin/env node
/**
 * Counts the Chinese string literals left in src/main and src/sync-server outside comments and tests,
 * so the work of issue 21 ("English shows Chinese") can be measured: each one is text a person may read
 * that does not follow the interface language. `--list` prints each with its place.
 * Usage: node scripts/count-chinese-literals.mjs [--list] [dir…]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const list = args.includes('--list');
const roots = args.filter((a) => !a.startsWith('--'));
const dirs = roots.length > 0 ? roots : ['src/main', 'src/sync-server'];
const han = /\p{Script=Han}/u;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name)) yield path;
  }
}

const counts = {};
let total = 0;
for (const dir of dirs) {
  let n = 0;
  for (const path of files(dir)) {
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      const literal =
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
      if (literal && han.test(node.getText(source))) {
        n += 1;
        if (list) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          console.log(`${relative('.', path)}:${line + 1}: ${node.getText(source).slice(0, 100)}`);
        }
        return; // a template's parts are one literal
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  counts[dir] = n;
  total += n;
}
for (const [dir, n] of Object.entries(counts)) console.log(`${dir}: ${n}`);
console.log(JSON.stringify({ chineseLiterals: total, ...counts }));
