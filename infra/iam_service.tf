# The service (API + bot) on Deno Deploy reaches DynamoDB through a Deno Deploy cloud
# connection: the app's OIDC token is exchanged for this role, no keys anywhere. Only the
# app and context named here may assume it.

data "aws_iam_policy_document" "service_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.deno_deploy_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "oidc.deno.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "oidc.deno.com:sub"
      values   = ["deployment:${var.deno_deploy_org}/${var.deno_deploy_app}/${var.deno_deploy_context}"]
    }
  }
}

resource "aws_iam_role" "service" {
  name               = "${var.name_prefix}-service"
  assume_role_policy = data.aws_iam_policy_document.service_assume.json
}

data "aws_iam_policy_document" "service" {
  statement {
    # Routes and bot commands read devices, readings, alerts and subscriptions; verdicts,
    # mutes, decommissioning, chats and (un)subscribing write single items.
    sid = "ReadAndAnswer"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = [aws_dynamodb_table.store.arn, "${aws_dynamodb_table.store.arn}/index/*"]
  }
}

resource "aws_iam_role_policy" "service" {
  name   = "serve-the-api-and-bot"
  role   = aws_iam_role.service.id
  policy = data.aws_iam_policy_document.service.json
}
