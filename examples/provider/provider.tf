terraform {
  required_providers {
    alicloud = {
      source = "alicloud-live/alicloud"
    }
  }
}

# Credentials come from ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY (or the
# access_key and secret_key attributes); the endpoint defaults to
# https://live.aliyuncs.com and can be overridden for a proxy or a test server.
provider "alicloud" {
  region = "cn-shanghai"
}
