# Terraform 1.12 and later: an import block can name the configuration by
# its identity, domain_name and app_name, instead of by the ID string.
terraform {
  required_version = ">= 1.12"
}

import {
  to = alicloud_live_lazy_pull_config.events
  identity = {
    domain_name = "live.example.com"
    app_name    = "events"
  }
}
