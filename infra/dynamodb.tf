# The store's one table, exactly as shared/store/dynamodb/table_definition.ts defines it
# (`deno task store:init` creates the same table from there; infra/terraform_test.ts
# compares the two). Every key attribute is a string.
resource "aws_dynamodb_table" "store" {
  name                        = var.table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "g1pk"
    type = "S"
  }

  attribute {
    name = "g1sk"
    type = "S"
  }

  attribute {
    name = "g2pk"
    type = "S"
  }

  attribute {
    name = "g2sk"
    type = "S"
  }

  attribute {
    name = "g3pk"
    type = "S"
  }

  attribute {
    name = "g3sk"
    type = "S"
  }

  # The device list by name, alerts and feedback by time.
  global_secondary_index {
    name               = "by_list"
    hash_key           = "g1pk"
    range_key          = "g1sk"
    projection_type    = "INCLUDE"
    non_key_attributes = ["doc", "muted_until", "decommissioned_at"]
  }

  # One device's alerts and feedback by time, the chats subscribed to a device.
  global_secondary_index {
    name               = "by_device"
    hash_key           = "g2pk"
    range_key          = "g2sk"
    projection_type    = "INCLUDE"
    non_key_attributes = ["doc"]
  }

  # The outbox: alerts not yet sent (sparse).
  global_secondary_index {
    name            = "pending"
    hash_key        = "g3pk"
    range_key       = "g3sk"
    projection_type = "KEYS_ONLY"
  }

  # Readings and dead letters expire (READINGS_TTL_DAYS); alerts, feedback and chats do not.
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }
}
