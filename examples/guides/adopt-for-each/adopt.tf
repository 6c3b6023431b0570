# Terraform 1.7 and later: adopt every lazy-pull configuration of a domain.
terraform {
  required_version = ">= 1.7"
}

# One DescribeLiveLazyPullStreamConfig call lists every configuration of
# the domain, whether Terraform manages it or not.
data "alicloud_live_lazy_pull_configs" "existing" {
  domain_name = "live.example.com"
}

locals {
  # The configurations to adopt, by application.
  adopted = { for c in data.alicloud_live_lazy_pull_configs.existing.configs : c.app_name => c }
}

import {
  for_each = local.adopted
  to       = alicloud_live_lazy_pull_config.adopted[each.key]
  id       = each.value.id
}

# The addresses the import blocks name, with the settings the service holds,
# so that the plan shows nothing but the imports.
resource "alicloud_live_lazy_pull_config" "adopted" {
  for_each = local.adopted

  domain_name      = each.value.domain_name
  app_name         = each.value.app_name
  pull_domain_name = each.value.pull_domain_name
  pull_app_name    = each.value.pull_app_name
  pull_protocol    = each.value.pull_protocol
  transcode_lazy   = each.value.transcode_lazy
  pull_args        = each.value.pull_args
}
