# Names and places

variable "region" {
  description = "AWS region of everything here (and AWS_REGION of the consumer)"
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Prefix of the names of the roles, the cluster, the image repository, the log group"
  type        = string
  default     = "stresswatch"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "table_name" {
  description = "The store's DynamoDB table (DYNAMODB_TABLE of the consumer and the service)"
  type        = string
  default     = "stresswatch"
}

variable "models_bucket_name" {
  description = "S3 bucket of the published models (MODELS_BUCKET); bucket names are global, so there is no default"
  type        = string
}

variable "models_prefix" {
  description = "Key prefix of the models in the bucket (MODELS_PREFIX); empty or ending with '/'"
  type        = string
  default     = "models/"

  validation {
    condition     = var.models_prefix == "" || endswith(var.models_prefix, "/")
    error_message = "models_prefix must be empty or end with '/'."
  }
}

variable "ssm_prefix" {
  description = "SSM Parameter Store path under which the secrets' parameters are (no trailing '/')"
  type        = string
  default     = "/stresswatch"

  validation {
    condition     = startswith(var.ssm_prefix, "/") && !endswith(var.ssm_prefix, "/")
    error_message = "ssm_prefix must start with '/' and not end with one, e.g. /stresswatch."
  }
}

# Retention and sizes

variable "models_versions_kept" {
  description = "Non-current versions of each model object kept for rollback"
  type        = number
  default     = 10
}

variable "models_noncurrent_days" {
  description = "Days before a non-current model version beyond the kept ones is deleted"
  type        = number
  default     = 30
}

variable "readings_ttl_days" {
  description = "Days a reading is kept before DynamoDB's TTL deletes it (READINGS_TTL_DAYS)"
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Days the consumer's logs are kept in CloudWatch Logs"
  type        = number
  default     = 30
}

variable "images_kept" {
  description = "Consumer images kept in the repository"
  type        = number
  default     = 10
}

variable "consumer_cpu" {
  description = "Fargate CPU units of the consumer task (256 = 0.25 vCPU)"
  type        = number
  default     = 256
}

variable "consumer_memory" {
  description = "Memory of the consumer task in MiB (onnxruntime and the windows of every device)"
  type        = number
  default     = 1024
}

variable "consumer_count" {
  description = "Consumer tasks (1; more share the partitions of the consumer group)"
  type        = number
  default     = 1
}

variable "consumer_image_tag" {
  description = "Tag of the consumer image in the repository (the deploy workflow passes the commit)"
  type        = string
}

# The consumer's settings

variable "kafka_brokers" {
  description = "KAFKA_BROKERS: host:port list of the brokers, e.g. pkc-xxxx.region.provider.confluent.cloud:9092"
  type        = string
}

variable "kafka_port" {
  description = "TCP port of the brokers, opened for the consumer's outbound traffic"
  type        = number
  default     = 9092
}

variable "kafka_topics" {
  description = "KAFKA_TOPICS: topics the consumer reads (empty: the consumer's default)"
  type        = string
  default     = ""
}

variable "kafka_topic_prefix" {
  description = "KAFKA_TOPIC_PREFIX: the consumer also reads every topic starting with it"
  type        = string
  default     = ""
}

variable "consumer_group" {
  description = "CONSUMER_GROUP: the consumer group id"
  type        = string
  default     = "stresswatch-consumer"
}

variable "metrics_port" {
  description = "METRICS_PORT: port of the consumer's GET /metrics (health check)"
  type        = number
  default     = 9464
}

variable "telegram_allowed_chat_ids" {
  description = "TELEGRAM_ALLOWED_CHAT_IDS: chats that get every device's alerts (not a secret)"
  type        = string
  default     = ""
}

variable "log_level" {
  description = "LOG_LEVEL of the consumer"
  type        = string
  default     = "info"
}

variable "consumer_settings" {
  description = "More environment variables for the consumer, e.g. { HOT_LIMITS = \"pc1=85\" } (no secrets here)"
  type        = map(string)
  default     = {}
}

variable "consumer_secrets" {
  description = "The consumer's secret variables: variable name => SSM parameter name under ssm_prefix"
  type        = map(string)
  default = {
    KAFKA_USERNAME     = "kafka/username"
    KAFKA_PASSWORD     = "kafka/password"
    TELEGRAM_BOT_TOKEN = "telegram/bot-token"
  }
}

variable "service_secrets" {
  description = "The service's secret variables: variable name => SSM parameter name under ssm_prefix"
  type        = map(string)
  default = {
    TELEGRAM_BOT_TOKEN      = "telegram/bot-token"
    TELEGRAM_WEBHOOK_SECRET = "telegram/webhook-secret"
    API_TOKEN               = "api-token"
  }
}

# Who may deploy

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may assume the CI role"
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "github_branch" {
  description = "The branch whose workflow runs may assume the CI role"
  type        = string
  default     = "main"
}

variable "create_github_oidc_provider" {
  description = "Create the GitHub Actions OIDC provider (false if the account has one)"
  type        = bool
  default     = true
}

variable "deno_deploy_org" {
  description = "Deno Deploy organization slug of the service"
  type        = string
}

variable "deno_deploy_app" {
  description = "Deno Deploy application slug of the service"
  type        = string
}

variable "deno_deploy_context" {
  description = "Deno Deploy context whose deployments may assume the service role"
  type        = string
  default     = "production"
}

variable "create_deno_deploy_oidc_provider" {
  description = "Create the Deno Deploy OIDC provider (false if the account has one)"
  type        = bool
  default     = true
}

variable "terraform_state_bucket" {
  description = "S3 bucket of this configuration's state (as in backend.hcl), for the CI role"
  type        = string
}

variable "terraform_state_key" {
  description = "Key of the state in that bucket (as in backend.hcl)"
  type        = string
  default     = "stresswatch/terraform.tfstate"
}

# Network

variable "vpc_id" {
  description = "VPC of the consumer; empty: the default VPC"
  type        = string
  default     = ""
}

variable "subnet_ids" {
  description = "Subnets with a route to the internet for the consumer; empty: the default VPC's"
  type        = list(string)
  default     = []
}
