terraform {
  required_providers {
    alicloud = {
      source = "alicloud-live/alicloud"
    }
  }
}

# Credentials come from the first source configured: access keys
# (ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY, or the access_key and
# secret_key attributes), a CLI profile, credentials_uri, the ECS instance's
# role (ecs_role_name) or OIDC (assume_role_with_oidc, or the variables ACK
# RRSA injects); assume_role can assume a role on top of any of them. The
# endpoint defaults to https://live.aliyuncs.com and can be overridden for a
# proxy or a test server.
provider "alicloud" {
  region = "cn-shanghai"
}
