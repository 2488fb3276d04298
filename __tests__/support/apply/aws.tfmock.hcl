# Mock values for `terraform test` with `mock_provider "aws"` (__tests__/terraform-apply.test.ts).
# A bare mock answers every computed string with 8 random characters, which the provider's own
# validation rejects where it expects an ARN (hashicorp/terraform-provider-aws#42834); these are
# shaped like AWS's answers, in account 123456789012 and ap-northeast-1. The test asserts on them:
# API a1b2c3d4e5, stage Prod, custom domain target d-abc1234567, distribution d111111abcdef8.
mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"
  }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
}
mock_resource "aws_lambda_function" {
  defaults = {
    arn           = "arn:aws:lambda:ap-northeast-1:123456789012:function:mock"
    qualified_arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:mock:1"
    invoke_arn    = "arn:aws:apigateway:ap-northeast-1:lambda:path/2015-03-31/functions/arn:aws:lambda:ap-northeast-1:123456789012:function:mock/invocations"
  }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:ap-northeast-1:123456789012:log-group:mock" }
}
mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:ap-northeast-1:123456789012:mock"
    url = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/mock"
  }
}
mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    key_id = "11111111-2222-3333-4444-555555555555"
  }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:ap-northeast-1:123456789012:mock" }
}
mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/mock" }
}
mock_resource "aws_acm_certificate" {
  defaults = {
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    domain_validation_options = [{
      domain_name           = "chat.example.org"
      resource_record_name  = "_abc.chat.example.org."
      resource_record_type  = "CNAME"
      resource_record_value = "_def.acm-validations.aws."
    }]
  }
}
mock_resource "aws_acm_certificate_validation" {
  defaults = { certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" }
}
mock_resource "aws_apigatewayv2_api" {
  defaults = {
    id            = "a1b2c3d4e5"
    arn           = "arn:aws:apigateway:ap-northeast-1::/apis/a1b2c3d4e5"
    execution_arn = "arn:aws:execute-api:ap-northeast-1:123456789012:a1b2c3d4e5"
    api_endpoint  = "wss://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com"
  }
}
mock_resource "aws_apigatewayv2_stage" {
  defaults = {
    arn           = "arn:aws:apigateway:ap-northeast-1::/apis/a1b2c3d4e5/stages/Prod"
    execution_arn = "arn:aws:execute-api:ap-northeast-1:123456789012:a1b2c3d4e5/Prod"
    invoke_url    = "wss://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod"
  }
}
mock_resource "aws_apigatewayv2_domain_name" {
  defaults = {
    arn = "arn:aws:apigateway:ap-northeast-1::/domainnames/chat.example.org"
    # One block: a mock gives each element of a block list this object.
    domain_name_configuration = {
      target_domain_name = "d-abc1234567.execute-api.ap-northeast-1.amazonaws.com"
      hosted_zone_id     = "Z1YSHQZHG15GKL"
    }
  }
}
mock_resource "aws_cloudfront_distribution" {
  defaults = {
    id             = "E1ABCDEFGHIJKL"
    arn            = "arn:aws:cloudfront::123456789012:distribution/E1ABCDEFGHIJKL"
    domain_name    = "d111111abcdef8.cloudfront.net"
    hosted_zone_id = "Z2FDTNDATAQYW2"
  }
}
mock_resource "aws_s3_bucket" {
  defaults = {
    arn                         = "arn:aws:s3:::wscf-site-mock"
    bucket                      = "wscf-site-mock"
    bucket_regional_domain_name = "wscf-site-mock.s3.ap-northeast-1.amazonaws.com"
  }
}
mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mock/11111111-2222-3333-4444-555555555555" }
}
