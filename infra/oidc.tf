# Identity providers for roles without long-lived keys: GitHub Actions (the CI role) and
# Deno Deploy (the service's role, through a Deno Deploy cloud connection). An AWS account
# holds one provider per URL: set create_*_oidc_provider = false where one exists already.

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_github_oidc_provider ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1
  url   = "https://token.actions.githubusercontent.com"
}

resource "aws_iam_openid_connect_provider" "deno_deploy" {
  count          = var.create_deno_deploy_oidc_provider ? 1 : 0
  url            = "https://oidc.deno.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "deno_deploy" {
  count = var.create_deno_deploy_oidc_provider ? 0 : 1
  url   = "https://oidc.deno.com"
}

locals {
  github_oidc_provider_arn      = try(aws_iam_openid_connect_provider.github[0].arn, data.aws_iam_openid_connect_provider.github[0].arn)
  deno_deploy_oidc_provider_arn = try(aws_iam_openid_connect_provider.deno_deploy[0].arn, data.aws_iam_openid_connect_provider.deno_deploy[0].arn)
}
