// @ts-types="./_hcl2json.d.ts"
import { getExpressionAst, parse } from "@cdktf/hcl2json";

/**
 * A Terraform configuration read with HashiCorp's own HCL parser (compiled
 * to WebAssembly in `@cdktf/hcl2json`): each file as the JSON that
 * `hcl2json` makes of it, where a block is an array of bodies and an
 * expression is a string holding `${...}`. Terraform itself cannot be
 * installed here, so the checks in this folder work on this.
 */
export interface TerraformConfig {
  files: TerraformFile[];
}

export interface TerraformFile {
  name: string;
  body: Body;
}

// deno-lint-ignore no-explicit-any
export type Body = Record<string, any>;

/** A named block: `resource "type" "name"`, `data "type" "name"`, `variable "name"`, ... */
export interface Block {
  file: string;
  /** `aws_dynamodb_table.store`, `data.aws_iam_policy_document.ci`, `var.region`, ... */
  address: string;
  type?: string;
  name: string;
  body: Body;
}

/** Parses `.tf` sources, by file name. A syntax error names the file and the line. */
export async function parseTerraform(sources: Record<string, string>): Promise<TerraformConfig> {
  const files: TerraformFile[] = [];
  for (const [name, text] of Object.entries(sources).sort(([a], [b]) => a.localeCompare(b))) {
    try {
      files.push({ name, body: await parse(name, text) });
    } catch (error) {
      throw new SyntaxError(`Cannot parse ${name}: ${(error as Error).message}`);
    }
  }
  return { files };
}

/** Reads and parses every `.tf` file of a folder (not its subfolders). */
export async function readTerraform(dir: string | URL): Promise<TerraformConfig> {
  const sources: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".tf")) {
      sources[entry.name] = await Deno.readTextFile(new URL(entry.name, dirUrl(dir)));
    }
  }
  if (Object.keys(sources).length === 0) throw new Error(`No .tf files in ${dir}`);
  return await parseTerraform(sources);
}

const dirUrl = (dir: string | URL) => {
  const url = dir instanceof URL ? dir : new URL(dir, `file://${Deno.cwd()}/`);
  return url.href.endsWith("/") ? url : new URL(`${url.href}/`);
};

export const resources = (config: TerraformConfig) => typedBlocks(config, "resource", "");
export const dataSources = (config: TerraformConfig) => typedBlocks(config, "data", "data.");
export const variables = (config: TerraformConfig) => namedBlocks(config, "variable", "var.");
export const outputs = (config: TerraformConfig) => namedBlocks(config, "output", "output.");
export const modules = (config: TerraformConfig) => namedBlocks(config, "module", "module.");

/** Every resource of one type. */
export function resourcesOfType(config: TerraformConfig, type: string): Block[] {
  return resources(config).filter((block) => block.type === type);
}

/** Every local value, as `local.<name>` blocks whose body is `{ value }`. */
export function locals(config: TerraformConfig): Block[] {
  return config.files.flatMap((file) =>
    ((file.body.locals ?? []) as Body[]).flatMap((body) =>
      Object.entries(body).map(([name, value]) => ({
        file: file.name,
        address: `local.${name}`,
        name,
        body: { value },
      }))
    )
  );
}

function typedBlocks(config: TerraformConfig, kind: string, prefix: string): Block[] {
  return config.files.flatMap((file) =>
    Object.entries((file.body[kind] ?? {}) as Record<string, Record<string, Body[]>>).flatMap((
      [type, byName],
    ) =>
      Object.entries(byName).flatMap(([name, bodies]) =>
        bodies.map((body) => ({
          file: file.name,
          address: `${prefix}${type}.${name}`,
          type,
          name,
          body,
        }))
      )
    )
  );
}

function namedBlocks(config: TerraformConfig, kind: string, prefix: string): Block[] {
  return config.files.flatMap((file) =>
    Object.entries((file.body[kind] ?? {}) as Record<string, Body[]>).flatMap(([name, bodies]) =>
      bodies.map((body) => ({ file: file.name, address: `${prefix}${name}`, name, body }))
    )
  );
}

/** One expression of the configuration and where it is. */
export interface Expression {
  /** `aws_iam_role.ci.assume_role_policy`, `local.consumer_environment.STORE`, ... */
  where: string;
  /** As hcl2json writes it: a template string holding `${...}`. */
  text: string;
  /** Names bound around it: the iterators of enclosing `dynamic` blocks. */
  scope: string[];
}

/**
 * Every expression of every block, except a variable's `type` (type names
 * are not references) and `lifecycle` (attribute names, not references).
 */
export function expressions(config: TerraformConfig): Expression[] {
  const found: Expression[] = [];
  const blocks = [
    ...resources(config),
    ...dataSources(config),
    ...variables(config),
    ...outputs(config),
    ...modules(config),
    ...locals(config),
  ];
  for (const block of blocks) {
    const body = block.address.startsWith("var.")
      ? Object.fromEntries(Object.entries(block.body).filter(([key]) => key !== "type"))
      : block.address.startsWith("local.")
      ? block.body.value
      : block.body;
    walk(body, block.address, [], found);
  }
  for (const file of config.files) {
    for (const [kind, value] of Object.entries(file.body)) {
      if (kind === "provider" || kind === "terraform") walk(value, kind, [], found);
    }
  }
  return found;
}

function walk(value: unknown, where: string, scope: string[], found: Expression[]): void {
  if (typeof value === "string") {
    if (value.includes("${")) found.push({ where, text: value, scope });
  } else if (Array.isArray(value)) {
    value.forEach((item) => walk(item, where, scope, found));
  } else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "lifecycle") continue;
      if (key === "dynamic") {
        for (const [label, bodies] of Object.entries(inner as Record<string, Body[]>)) {
          for (const body of bodies) {
            const iterator = typeof body.iterator === "string" ? body.iterator : label;
            walk(body.for_each, `${where}.dynamic.${label}.for_each`, scope, found);
            walk(body.content, `${where}.${label}`, [...scope, iterator], found);
          }
        }
        continue;
      }
      walk(inner, `${where}.${key}`, scope, found);
    }
  }
}

/** Names with a meaning of their own in Terraform expressions. */
const BUILT_IN = new Set(["each", "count", "self", "path", "terraform"]);

/**
 * The references in an expression, as the leading names of each traversal
 * (`var.region`, `aws_s3_bucket.models.arn`, `data.aws_caller_identity.current.account_id`),
 * leaving out `for` variables, dynamic-block iterators and built-in names.
 */
export async function referencesIn(expression: Expression): Promise<string[][]> {
  let ast;
  try {
    // As a heredoc template: quotes inside `${...}` and newlines need no escaping there.
    ast = await getExpressionAst(expression.where, `<<EOT_HCL\n${expression.text}\nEOT_HCL\n`);
  } catch (error) {
    throw new SyntaxError(
      `Cannot parse the expression at ${expression.where}: ${(error as Error).message}`,
    );
  }
  const found: string[][] = [];
  visit(ast as AstNode | null, new Set(expression.scope), found);
  return found;
}

interface AstNode {
  type: string;
  meta?: {
    traversal?: { type: string; segment?: string }[];
    keyVar?: string;
    valVar?: string;
  };
  children?: AstNode[];
}

function visit(node: AstNode | null | undefined, scope: Set<string>, found: string[][]): void {
  if (!node) return;
  if (node.type === "scopeTraversal") {
    const names: string[] = [];
    for (const part of node.meta?.traversal ?? []) {
      if (part.type !== "nameTraversal" || part.segment === undefined) break;
      names.push(part.segment);
    }
    if (names.length > 0 && !scope.has(names[0]!) && !BUILT_IN.has(names[0]!)) found.push(names);
    return;
  }
  let inner = scope;
  if (node.type === "for") {
    inner = new Set(scope);
    for (const name of [node.meta?.keyVar, node.meta?.valVar]) if (name) inner.add(name);
  }
  for (const child of node.children ?? []) visit(child, inner, found);
}
