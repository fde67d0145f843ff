output "region" {
  description = "AWS_REGION for the consumer, the service and publish-model"
  value       = var.region
}

output "dynamodb_table" {
  description = "DYNAMODB_TABLE for the consumer and the service"
  value       = aws_dynamodb_table.store.name
}

output "dynamodb_table_arn" {
  description = "ARN of the store's table"
  value       = aws_dynamodb_table.store.arn
}

output "models_bucket" {
  description = "MODELS_BUCKET for publish-model and the consumer"
  value       = aws_s3_bucket.models.bucket
}

output "models_prefix" {
  description = "MODELS_PREFIX for publish-model and the consumer"
  value       = var.models_prefix
}

output "consumer_image_repository" {
  description = "Where the deploy workflow pushes the consumer image"
  value       = aws_ecr_repository.consumer.repository_url
}

output "ecs_cluster" {
  description = "The ECS cluster of the consumer"
  value       = aws_ecs_cluster.main.name
}

output "consumer_service" {
  description = "The consumer's ECS service"
  value       = aws_ecs_service.consumer.name
}

output "consumer_log_group" {
  description = "CloudWatch Logs group of the consumer (aws logs tail <group> --follow)"
  value       = aws_cloudwatch_log_group.consumer.name
}

output "ci_role_arn" {
  description = "Role for the GitHub secret AWS_ROLE_ARN of the deploy workflow"
  value       = aws_iam_role.ci.arn
}

output "service_role_arn" {
  description = "Role for the Deno Deploy app's AWS cloud connection"
  value       = aws_iam_role.service.arn
}

output "consumer_task_role_arn" {
  description = "Role the consumer runs with"
  value       = aws_iam_role.consumer_task.arn
}

output "consumer_secret_parameters" {
  description = "SSM SecureString parameters to create before the consumer starts"
  value       = { for name, parameter in var.consumer_secrets : name => "${var.ssm_prefix}/${parameter}" }
}

output "service_secret_parameters" {
  description = "SSM SecureString parameters the deploy workflow hands to Deno Deploy"
  value       = { for name, parameter in var.service_secrets : name => "${var.ssm_prefix}/${parameter}" }
}
