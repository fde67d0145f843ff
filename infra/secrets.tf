# Secrets live in SSM Parameter Store as SecureString parameters under `ssm_prefix`, made
# by hand (see README.md), never by Terraform: a parameter's value would land in the state.
# Terraform only knows their names and builds the ARNs that IAM and ECS need:
#   - the consumer's (`consumer_secrets`) are read by ECS when the task starts;
#   - the service's (`service_secrets`) are read by the deploy workflow with the CI role
#     and handed to Deno Deploy as secret environment variables.
locals {
  ssm_parameter_arn_prefix = "arn:${data.aws_partition.current.partition}:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter${var.ssm_prefix}"

  service_secret_arns = {
    for name, parameter in var.service_secrets : name => "${local.ssm_parameter_arn_prefix}/${parameter}"
  }
}
