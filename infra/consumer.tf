# The consumer as one ECS task on Fargate (see README.md for why Fargate and not EC2).

resource "aws_ecr_repository" "consumer" {
  name                 = "${var.name_prefix}-consumer"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "consumer" {
  repository = aws_ecr_repository.consumer.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last ${var.images_kept} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.images_kept
      }
      action = { type = "expire" }
    }]
  })
}

resource "aws_cloudwatch_log_group" "consumer" {
  name              = "/${var.name_prefix}/consumer"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_cluster" "main" {
  name = var.name_prefix
}

locals {
  # The consumer's settings, read by consumer/main.ts (infra/terraform_test.ts checks each
  # name against its config schema). Empty values are left out, as if unset;
  # `consumer_settings` adds more (these win over it).
  consumer_environment = {
    KAFKA_BROKERS             = var.kafka_brokers
    KAFKA_TOPICS              = var.kafka_topics
    KAFKA_TOPIC_PREFIX        = var.kafka_topic_prefix
    CONSUMER_GROUP            = var.consumer_group
    STORE                     = "dynamodb"
    DYNAMODB_TABLE            = aws_dynamodb_table.store.name
    READINGS_TTL_DAYS         = tostring(var.readings_ttl_days)
    AWS_REGION                = var.region
    MODELS_BUCKET             = aws_s3_bucket.models.bucket
    MODELS_PREFIX             = var.models_prefix
    METRICS_PORT              = tostring(var.metrics_port)
    TELEGRAM_ALLOWED_CHAT_IDS = var.telegram_allowed_chat_ids
    LOG_LEVEL                 = var.log_level
  }

  # Secrets by name (see secrets.tf): ECS reads them when the task starts.
  consumer_secret_arns = {
    for name, parameter in var.consumer_secrets :
    name => "${local.ssm_parameter_arn_prefix}/${parameter}"
  }

  # GET /metrics on the metrics port answers while the consumer is alive (same check as the
  # Dockerfile's HEALTHCHECK; ECS ignores that one).
  consumer_health_check = "const r = await fetch(`http://127.0.0.1:$${Deno.env.get('METRICS_PORT')}/metrics`); Deno.exit(r.ok ? 0 : 1)"
}

resource "aws_ecs_task_definition" "consumer" {
  family                   = "${var.name_prefix}-consumer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.consumer_cpu
  memory                   = var.consumer_memory
  execution_role_arn       = aws_iam_role.consumer_execution.arn
  task_role_arn            = aws_iam_role.consumer_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name      = "consumer"
    image     = "${aws_ecr_repository.consumer.repository_url}:${var.consumer_image_tag}"
    essential = true
    environment = [
      for name, value in merge(var.consumer_settings, local.consumer_environment) :
      { name = name, value = value } if value != ""
    ]
    secrets = [
      for name, arn in local.consumer_secret_arns : { name = name, valueFrom = arn }
    ]
    healthCheck = {
      command     = ["CMD", "deno", "eval", local.consumer_health_check]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 60
    }
    # SIGTERM: the consumer finishes the batch in hand and commits it before exiting.
    stopTimeout = 60
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.consumer.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "consumer"
      }
    }
  }])
}

resource "aws_ecs_service" "consumer" {
  name            = "${var.name_prefix}-consumer"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.consumer.arn
  desired_count   = var.consumer_count
  launch_type     = "FARGATE"

  # One consumer group member at a time during a deploy: the old task stops (and commits)
  # before the new one starts, so partitions are not handed over twice.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = local.subnet_ids
    security_groups  = [aws_security_group.consumer.id]
    assign_public_ip = true
  }
}
