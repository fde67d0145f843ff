# The CI role: GitHub Actions of `github_repository` on `github_branch` assume it with
# GitHub's OIDC token (no long-lived keys). It publishes models, pushes the consumer image,
# reads the service's secrets to hand them to Deno Deploy, and plans and applies this
# configuration. It may change every resource here except its own role, and it can neither
# create nor delete the table or the buckets: the first `terraform apply` and changes to
# the CI role are an administrator's (see README.md).

locals {
  ci_role_name  = "${var.name_prefix}-ci"
  account_arn   = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}"
  region_suffix = "${var.region}:${data.aws_caller_identity.current.account_id}"
  state_bucket  = "arn:${data.aws_partition.current.partition}:s3:::${var.terraform_state_bucket}"
}

data "aws_iam_policy_document" "ci_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:ref:refs/heads/${var.github_branch}"]
    }
  }
}

resource "aws_iam_role" "ci" {
  name                 = local.ci_role_name
  assume_role_policy   = data.aws_iam_policy_document.ci_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "ci" {
  statement {
    sid       = "ListTheModels"
    actions   = ["s3:ListBucket", "s3:GetBucketVersioning"]
    resources = [aws_s3_bucket.models.arn]
  }

  statement {
    sid       = "PublishModels"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.models.arn}/${var.models_prefix}*"]
  }

  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # the action has no resource of its own
  }

  statement {
    sid = "PushTheConsumerImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.consumer.arn]
  }

  dynamic "statement" {
    for_each = length(local.service_secret_arns) > 0 ? [values(local.service_secret_arns)] : []

    content {
      sid       = "ReadTheServiceSecrets"
      actions   = ["ssm:GetParameter"]
      resources = statement.value
    }
  }

  statement {
    sid       = "TerraformStateList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.terraform_state_key}*"]
    }
  }

  statement {
    sid       = "TerraformStateAndLock"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = ["${local.state_bucket}/${var.terraform_state_key}", "${local.state_bucket}/${var.terraform_state_key}.tflock"]
  }

  statement {
    sid = "ManageTheTable"
    actions = [
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeTable",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
      "dynamodb:TagResource",
      "dynamodb:UntagResource",
      "dynamodb:UpdateContinuousBackups",
      "dynamodb:UpdateTable",
      "dynamodb:UpdateTimeToLive",
    ]
    resources = [aws_dynamodb_table.store.arn]
  }

  statement {
    sid = "ManageTheModelsBucket"
    actions = [
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketLocation",
      "s3:GetBucketLogging",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketOwnershipControls",
      "s3:GetBucketPolicy",
      "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketTagging",
      "s3:GetBucketWebsite",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:PutBucketOwnershipControls",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketTagging",
      "s3:PutBucketVersioning",
      "s3:PutEncryptionConfiguration",
      "s3:PutLifecycleConfiguration",
    ]
    resources = [aws_s3_bucket.models.arn]
  }

  statement {
    sid = "ManageTheImageRepository"
    actions = [
      "ecr:DescribeRepositories",
      "ecr:GetLifecyclePolicy",
      "ecr:ListTagsForResource",
      "ecr:PutImageScanningConfiguration",
      "ecr:PutImageTagMutability",
      "ecr:PutLifecyclePolicy",
      "ecr:TagResource",
      "ecr:UntagResource",
    ]
    resources = [aws_ecr_repository.consumer.arn]
  }

  statement {
    sid = "ManageTheLogGroup"
    actions = [
      "logs:ListTagsForResource",
      "logs:PutRetentionPolicy",
      "logs:TagResource",
      "logs:UntagResource",
    ]
    resources = [aws_cloudwatch_log_group.consumer.arn, "${aws_cloudwatch_log_group.consumer.arn}:*"]
  }

  statement {
    sid       = "ListLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${data.aws_partition.current.partition}:logs:${local.region_suffix}:log-group:*"]
  }

  statement {
    sid = "DeployTheConsumer"
    actions = [
      "ecs:DescribeClusters",
      "ecs:DescribeServices",
      "ecs:ListTagsForResource",
      "ecs:TagResource",
      "ecs:UntagResource",
      "ecs:UpdateCluster",
      "ecs:UpdateService",
    ]
    resources = [
      aws_ecs_cluster.main.arn,
      "arn:${data.aws_partition.current.partition}:ecs:${local.region_suffix}:service/${aws_ecs_cluster.main.name}/${var.name_prefix}-consumer",
      "arn:${data.aws_partition.current.partition}:ecs:${local.region_suffix}:task-definition/${var.name_prefix}-consumer:*",
    ]
  }

  statement {
    sid = "TaskDefinitions"
    actions = [
      "ecs:DeregisterTaskDefinition",
      "ecs:DescribeTaskDefinition",
      "ecs:RegisterTaskDefinition",
    ]
    resources = ["*"] # these actions have no resource of their own
  }

  statement {
    sid       = "HandTheRolesToEcs"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.consumer_execution.arn, aws_iam_role.consumer_task.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid = "ReadTheRoles"
    actions = [
      "iam:GetOpenIDConnectProvider",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies",
    ]
    resources = [
      "${local.account_arn}:role/${var.name_prefix}-*",
      "${local.account_arn}:oidc-provider/token.actions.githubusercontent.com",
      "${local.account_arn}:oidc-provider/oidc.deno.com",
    ]
  }

  statement {
    # Not its own role: a change to what CI may do needs an administrator.
    sid = "ManageTheOtherRoles"
    actions = [
      "iam:DeleteRolePolicy",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
    ]
    resources = [
      aws_iam_role.consumer_execution.arn,
      aws_iam_role.consumer_task.arn,
      aws_iam_role.service.arn,
    ]
  }

  statement {
    sid = "ReadTheNetwork"
    actions = [
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcAttribute",
      "ec2:DescribeVpcs",
    ]
    resources = ["*"] # Describe actions have no resource of their own
  }

  statement {
    sid       = "FindTheOidcProviders"
    actions   = ["iam:ListOpenIDConnectProviders"]
    resources = ["*"] # the action has no resource of its own
  }

  statement {
    sid = "ManageTheConsumerSecurityGroup"
    actions = [
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:CreateTags",
      "ec2:ModifySecurityGroupRules",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    ]
    resources = [
      aws_security_group.consumer.arn,
      "arn:${data.aws_partition.current.partition}:ec2:${local.region_suffix}:security-group-rule/*",
    ]
  }
}

resource "aws_iam_role_policy" "ci" {
  name   = "publish-and-deploy"
  role   = aws_iam_role.ci.id
  policy = data.aws_iam_policy_document.ci.json
}
