import { dataSources, resources, type TerraformConfig, variables } from "./terraform_config.ts";

/** Blocks that would put a secret's value into the state. */
const SECRET_HOLDERS: Record<string, string> = {
  "data.aws_ssm_parameter": "reads a parameter's value into the state",
  "data.aws_secretsmanager_secret_version": "reads a secret's value into the state",
  "aws_ssm_parameter": "writes a parameter's value into the state",
  "aws_secretsmanager_secret_version": "writes a secret's value into the state",
  "aws_iam_access_key": "makes a long-lived key whose secret lands in the state",
  "aws_iam_user_login_profile": "makes a password that lands in the state",
};

const SECRET_NAME = /(password|passwd|token|secret|api_key|private_key)$/i;

/**
 * Secrets stay in SSM Parameter Store, known here by name only: no block
 * that reads or writes a secret's value (it would be in the state), and no
 * variable that looks like a secret or is marked sensitive with a default
 * (it would be in the repository).
 */
export function secretProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const block of [...resources(config), ...dataSources(config)]) {
    const kind = block.address.startsWith("data.") ? `data.${block.type}` : block.type!;
    const why = SECRET_HOLDERS[kind];
    if (why) problems.push(`${block.address} ${why}; name an SSM parameter instead`);
  }
  for (const variable of variables(config)) {
    if (variable.body.default === undefined) continue;
    if (SECRET_NAME.test(variable.name) || variable.body.sensitive === true) {
      problems.push(`${variable.address} looks like a secret and has a default in the repository`);
    }
  }
  return problems;
}
