import {
  dataSources,
  expressions,
  locals,
  modules,
  referencesIn,
  resources,
  type TerraformConfig,
  variables,
} from "./terraform_config.ts";

export interface ReferenceReport {
  /** `where: what`, one per reference to something not declared. */
  unresolved: string[];
  /** Variables no expression reads. */
  unusedVariables: string[];
  /** Locals no expression reads. */
  unusedLocals: string[];
}

/**
 * What `terraform validate` would say of references: each `var.x`,
 * `local.x`, `data.t.n`, `module.x` and `t.n` must be declared, and each
 * variable and local must be read somewhere.
 */
export async function checkReferences(config: TerraformConfig): Promise<ReferenceReport> {
  const declared = new Set([
    ...resources(config),
    ...dataSources(config),
    ...variables(config),
    ...locals(config),
    ...modules(config),
  ].map((block) => block.address));
  const used = new Set<string>();
  const unresolved: string[] = [];
  for (const expression of expressions(config)) {
    for (const names of await referencesIn(expression)) {
      const address = addressOf(names);
      if (address === null) {
        unresolved.push(`${expression.where}: '${names.join(".")}' names nothing declared`);
        continue;
      }
      used.add(address);
      if (!declared.has(address)) {
        unresolved.push(`${expression.where}: ${names.join(".")} (${address} is not declared)`);
      }
    }
  }
  return {
    unresolved,
    unusedVariables: variables(config).map((v) => v.address).filter((a) => !used.has(a)),
    unusedLocals: locals(config).map((l) => l.address).filter((a) => !used.has(a)),
  };
}

/** The declaration a traversal points at, or null for a name that is not a reference. */
function addressOf(names: string[]): string | null {
  const [root, first, second] = names;
  if (root === "var" || root === "local" || root === "module") {
    return first === undefined ? `${root}.?` : `${root}.${first}`;
  }
  if (root === "data") return `data.${first ?? "?"}.${second ?? "?"}`;
  // A resource: `<provider>_<type>.<name>`.
  if (/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(root!) && first !== undefined) return `${root}.${first}`;
  return null;
}
