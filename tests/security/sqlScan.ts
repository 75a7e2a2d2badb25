// Finds SQL text built from values at run time. A statement may interpolate only constants of its own
// file (column lists, fixed fragments) and `?` placeholder lists; anything else needs a reviewed entry
// in sql-allowlist.json, because it is the shape an injection takes.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface SqlFinding {
  /** Path relative to the repo root, forward slashes. */
  file: string;
  line: number;
  /** The interpolated or concatenated expression, as written. */
  expression: string;
}

const SQL_METHODS = new Set(['prepare', 'exec', 'pragma']);
/** String and array methods that make constant text from constant text. */
const PURE_METHODS = new Set(['join', 'split', 'map', 'trim', 'toLowerCase', 'toUpperCase', 'slice', 'concat']);

function listSources(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !/\.(ts|mts|cts|js|mjs)$/.test(entry.name) || /\.test\.ts$|\.d\.ts$/.test(entry.name)) continue;
      out.push(join(entry.parentPath, entry.name));
    }
  }
  return out.sort();
}

/** `xs.map(() => '?').join(', ')`: a list of placeholders, no value in the text. */
function isPlaceholderList(e: ts.Expression): boolean {
  return /\.map\(\s*\(\)\s*=>\s*['"`]\?['"`]\s*\)\s*\.join\(\s*['"`][^'"`]*['"`]\s*\)$/.test(e.getText());
}

export function scanSqlSources(root: string, dirs: readonly string[]): SqlFinding[] {
  const findings: SqlFinding[] = [];
  for (const path of listSources(root, dirs)) {
    const text = readFileSync(path, 'utf8');
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const file = relative(root, path).split('\\').join('/');

    const constInitializers = new Map<string, ts.Expression[]>();
    const collect = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
        const list = ts.isVariableDeclarationList(node.parent) ? node.parent : null;
        const isConst = list !== null && (list.flags & ts.NodeFlags.Const) !== 0;
        const inits = constInitializers.get(node.name.text) ?? [];
        // A `let`/`var` or an uninitialised name is never a constant; record it as such.
        inits.push(isConst && node.initializer ? node.initializer : ts.factory.createIdentifier('__not_constant__'));
        constInitializers.set(node.name.text, inits);
      }
      ts.forEachChild(node, collect);
    };
    collect(sf);

    /**
     * True when `e` can only be text fixed in this file. `bound` holds the parameters of an arrow function
     * mapped over a constant (`COLUMNS.split(', ').map((c) => `r.${c}`)`): they range over constant pieces.
     */
    const isConstant = (e: ts.Expression, depth = 0, bound: ReadonlySet<string> = new Set()): boolean => {
      if (depth > 12) return false;
      const again = (x: ts.Expression): boolean => isConstant(x, depth + 1, bound);
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) return again(e.expression);
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return true;
      if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => again(s.expression) || isPlaceholderList(s.expression));
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return again(e.left) && again(e.right);
      if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => again(x as ts.Expression));
      // ['a', 'b'].join(', '), CONST.split(', ').map((c) => `r.${c}`).join(', ')
      if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && PURE_METHODS.has(e.expression.name.text)) {
        if (!again(e.expression.expression)) return false;
        return e.arguments.every((a) => {
          if (ts.isArrowFunction(a) && a.parameters.every((p) => ts.isIdentifier(p.name)) && !ts.isBlock(a.body)) {
            const inner = new Set(bound);
            for (const p of a.parameters) inner.add((p.name as ts.Identifier).text);
            return isConstant(a.body, depth + 1, inner);
          }
          return again(a);
        });
      }
      if (ts.isIdentifier(e)) {
        if (bound.has(e.text)) return true;
        const inits = constInitializers.get(e.text);
        return inits !== undefined && inits.length === 1 && again(inits[0]!);
      }
      return false;
    };

    const report = (e: ts.Expression): void => {
      const { line } = sf.getLineAndCharacterOfPosition(e.getStart());
      findings.push({ file, line: line + 1, expression: e.getText().replace(/\s+/g, ' ') });
    };

    /** Reports every non-constant piece of a statement's SQL text. */
    const examine = (e: ts.Expression, depth = 0): void => {
      if (depth > 8) return report(e);
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return examine(e.expression, depth + 1);
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return;
      if (ts.isTemplateExpression(e)) {
        for (const span of e.templateSpans) {
          if (isConstant(span.expression) || isPlaceholderList(span.expression)) continue;
          if (ts.isIdentifier(span.expression)) examine(span.expression, depth + 1);
          else report(span.expression);
        }
        return;
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        examine(e.left, depth + 1);
        examine(e.right, depth + 1);
        return;
      }
      if (ts.isIdentifier(e)) {
        const helper = sqlHelperParameter(e);
        if (helper) {
          // A local helper such as a statement cache, prepared(db, sql): its callers' SQL is what counts.
          for (const arg of helper.callArguments) examine(arg, depth + 1);
          return;
        }
        const inits = constInitializers.get(e.text);
        if (inits && inits.length === 1 && !ts.isIdentifier(inits[0]!)) return examine(inits[0]!, depth + 1);
        if (isConstant(e)) return;
      }
      if (isConstant(e)) return;
      report(e);
    };

    /**
     * When `id` is a parameter of a function of this file that is not exported, the arguments passed for it at
     * every call in this file; null otherwise (an exported helper's callers are elsewhere: report it instead).
     */
    const sqlHelperParameter = (id: ts.Identifier): { callArguments: ts.Expression[] } | null => {
      let fn: ts.Node | undefined = id.parent;
      while (fn && !ts.isFunctionDeclaration(fn) && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) fn = fn.parent;
      if (!fn) return null;
      const fnLike = fn as ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;
      const index = fnLike.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
      if (index < 0) return null;
      let name: string | undefined;
      let exported = false;
      if (ts.isFunctionDeclaration(fnLike)) {
        name = fnLike.name?.text;
        exported = (ts.getCombinedModifierFlags(fnLike) & ts.ModifierFlags.Export) !== 0;
      } else if (ts.isVariableDeclaration(fnLike.parent) && ts.isIdentifier(fnLike.parent.name)) {
        name = fnLike.parent.name.text;
        const statement = fnLike.parent.parent.parent;
        exported = ts.isVariableStatement(statement) && (statement.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      }
      if (!name || exported) return null;
      const callArguments: ts.Expression[] = [];
      const find = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
          const arg = node.arguments[index];
          if (arg) callArguments.push(arg);
        }
        ts.forEachChild(node, find);
      };
      find(sf);
      return { callArguments };
    };

    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && SQL_METHODS.has(node.expression.name.text)) {
        const first = node.arguments[0];
        // `.exec` of a RegExp takes a string to search, not SQL: only calls on something named like a database count.
        const receiver = node.expression.expression.getText();
        const isDbCall = node.expression.name.text !== 'exec' || /\b(db|database|conn|connection|sqlite|tx)\b/i.test(receiver);
        if (first && isDbCall) examine(first);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return findings;
}
