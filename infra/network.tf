# The consumer needs outbound connections only (Kafka, AWS APIs, Telegram): it runs in
# public subnets with a public IP and a security group that lets nothing in. The default
# VPC is used unless `vpc_id` and `subnet_ids` name others.
data "aws_vpc" "default" {
  count   = var.vpc_id == "" ? 1 : 0
  default = true
}

data "aws_subnets" "default" {
  count = length(var.subnet_ids) == 0 ? 1 : 0

  filter {
    name   = "vpc-id"
    values = [local.vpc_id]
  }
}

locals {
  vpc_id     = var.vpc_id != "" ? var.vpc_id : data.aws_vpc.default[0].id
  subnet_ids = length(var.subnet_ids) > 0 ? var.subnet_ids : data.aws_subnets.default[0].ids
}

resource "aws_security_group" "consumer" {
  name        = "${var.name_prefix}-consumer"
  description = "The consumer: no inbound traffic; outbound to Kafka and HTTPS"
  vpc_id      = local.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "consumer_https" {
  security_group_id = aws_security_group.consumer.id
  description       = "AWS APIs (DynamoDB, S3, ECR, SSM, CloudWatch Logs) and Telegram"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "consumer_kafka" {
  security_group_id = aws_security_group.consumer.id
  description       = "The Kafka brokers"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = var.kafka_port
  to_port           = var.kafka_port
}
