terraform {
  # 1.10: the S3 backend locks with a lock file in the bucket (use_lockfile), no DynamoDB lock table.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # State in S3, configured at init (see README.md): terraform init -backend-config=backend.hcl
  backend "s3" {}
}
