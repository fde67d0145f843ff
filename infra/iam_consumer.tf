# The consumer's two roles: ECS uses the execution role to start the task (pull the image,
# write its logs, read its secrets from SSM); the consumer itself runs with the task role
# (write readings, alerts and outbox state, read the models).

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "consumer_execution" {
  name               = "${var.name_prefix}-consumer-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "consumer_execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # the action has no resource of its own
  }

  statement {
    sid = "PullTheImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [aws_ecr_repository.consumer.arn]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.consumer.arn}:*"]
  }

  dynamic "statement" {
    for_each = length(local.consumer_secret_arns) > 0 ? [values(local.consumer_secret_arns)] : []

    content {
      sid       = "ReadTheSecrets"
      actions   = ["ssm:GetParameters"]
      resources = statement.value
    }
  }
}

resource "aws_iam_role_policy" "consumer_execution" {
  name   = "start-the-consumer"
  role   = aws_iam_role.consumer_execution.id
  policy = data.aws_iam_policy_document.consumer_execution.json
}

resource "aws_iam_role" "consumer_task" {
  name               = "${var.name_prefix}-consumer-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "consumer_task" {
  statement {
    sid = "WriteReadingsAlertsAndOutboxState"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = [aws_dynamodb_table.store.arn, "${aws_dynamodb_table.store.arn}/index/*"]
  }

  statement {
    sid       = "ListTheModels"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.models.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.models_prefix}*"]
    }
  }

  statement {
    sid       = "ReadTheModels"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${aws_s3_bucket.models.arn}/${var.models_prefix}*"]
  }
}

resource "aws_iam_role_policy" "consumer_task" {
  name   = "consume-score-store"
  role   = aws_iam_role.consumer_task.id
  policy = data.aws_iam_policy_document.consumer_task.json
}
