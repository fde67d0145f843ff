# Published models (`deno task publish-model`): versioned, private, encrypted; the last
# `models_versions_kept` non-current versions of each object stay for rollback.
resource "aws_s3_bucket" "models" {
  bucket = var.models_bucket_name
}

resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = aws_s3_bucket.models.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "models" {
  bucket = aws_s3_bucket.models.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "models" {
  bucket = aws_s3_bucket.models.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "models" {
  bucket = aws_s3_bucket.models.id

  rule {
    id     = "keep-the-last-versions"
    status = "Enabled"

    filter {}

    # A non-current version goes after `models_noncurrent_days`, but the newest
    # `models_versions_kept` of them always stay.
    noncurrent_version_expiration {
      noncurrent_days           = var.models_noncurrent_days
      newer_noncurrent_versions = var.models_versions_kept
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.models]
}
