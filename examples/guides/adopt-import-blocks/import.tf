# Terraform 1.5 and later: one import block per configuration, by its ID
# "<domain_name>:<app_name>". The resource blocks need not be written by
# hand: for every import block whose target is not declared,
#
#   terraform plan -generate-config-out=generated.tf
#
# writes one into generated.tf, with the settings the service holds.
terraform {
  required_version = ">= 1.5"
}

import {
  to = alicloud_live_lazy_pull_config.live_app
  id = "live.example.com:live_app"
}

import {
  to = alicloud_live_lazy_pull_config.events
  id = "live.example.com:events"
}
