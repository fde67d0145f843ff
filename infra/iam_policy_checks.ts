import { type Body, dataSources, resources, type TerraformConfig } from "./terraform_config.ts";

/** Services whose actions touch stored data: no wildcard action, no `*` resource. */
const DATA_SERVICES = ["dynamodb", "s3"];

/**
 * Problems with the IAM policies' statements, one line each: an action
 * with a wildcard (`*`, `dynamodb:*`, `s3:Get*`), `not_actions` (allows all
 * but a few), an action that is not a literal list (cannot be checked), or
 * a data action granted on every resource (`*`). Only statements of
 * `aws_iam_policy_document` data sources exist here: `policiesFromDocuments`
 * makes sure of that.
 */
export function wildcardProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const document of dataSources(config)) {
    if (document.type !== "aws_iam_policy_document") continue;
    for (const [where, statement] of statementsOf(document.address, document.body)) {
      if (statement.not_actions !== undefined) {
        problems.push(`${where}: not_actions grants every action but a few; list the actions`);
      }
      const actions = statement.actions;
      if (
        !Array.isArray(actions) || actions.some((a) => typeof a !== "string" || a.includes("${"))
      ) {
        problems.push(`${where}: actions must be a literal list of action names to be checked`);
        continue;
      }
      for (const action of actions as string[]) {
        if (action.includes("*")) problems.push(`${where}: action '${action}' has a wildcard`);
      }
      const resourceList = Array.isArray(statement.resources) ? statement.resources : [];
      const onData = (actions as string[]).filter((a) => DATA_SERVICES.includes(a.split(":")[0]!));
      if (onData.length > 0 && resourceList.includes("*")) {
        problems.push(`${where}: ${onData.join(", ")} on every resource ('*'); name the resources`);
      }
    }
  }
  return problems;
}

/** Each statement of a policy document, static or from a `dynamic "statement"` block. */
function statementsOf(address: string, body: Body): [string, Body][] {
  const found: [string, Body][] = [];
  const label = (s: Body, i: number) => `${address} statement ${s.sid ?? i + 1}`;
  ((body.statement ?? []) as Body[]).forEach((s, i) => found.push([label(s, i), s]));
  for (const dynamic of (body.dynamic?.statement ?? []) as Body[]) {
    for (const content of (dynamic.content ?? []) as Body[]) {
      found.push([label(content, found.length), content]);
    }
  }
  return found;
}

/** Attributes that hold an IAM policy, by resource type. */
const POLICY_ATTRIBUTES: Record<string, string[]> = {
  aws_iam_role: ["assume_role_policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_iam_group_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_ecr_repository_policy: ["policy"],
  aws_kms_key: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_sns_topic_policy: ["policy"],
};

const FROM_DOCUMENT = /^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_-]+\.json\}$/;

/**
 * Every policy comes from an `aws_iam_policy_document` (so that
 * `wildcardProblems` sees every statement): a `jsonencode()` or heredoc
 * policy, an inline policy block or a managed policy attached from outside
 * this configuration (`AmazonDynamoDBFullAccess`...) is a problem.
 */
export function policiesNotFromDocuments(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const resource of resources(config)) {
    for (const attribute of POLICY_ATTRIBUTES[resource.type!] ?? []) {
      const value = resource.body[attribute];
      if (value !== undefined && !(typeof value === "string" && FROM_DOCUMENT.test(value))) {
        problems.push(
          `${resource.address}.${attribute} is not data.aws_iam_policy_document.<name>.json`,
        );
      }
    }
    if (resource.type === "aws_iam_role") {
      for (const attribute of ["inline_policy", "managed_policy_arns"]) {
        if (resource.body[attribute] !== undefined) {
          problems.push(
            `${resource.address}.${attribute}: use aws_iam_role_policy with a document`,
          );
        }
      }
    }
    if (
      [
        "aws_iam_role_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_user_policy_attachment",
      ]
        .includes(resource.type!) &&
      !/^\$\{aws_iam_policy\.[A-Za-z0-9_-]+\.arn\}$/.test(String(resource.body.policy_arn))
    ) {
      problems.push(
        `${resource.address} attaches a policy not written here (${resource.body.policy_arn})`,
      );
    }
  }
  return problems;
}
