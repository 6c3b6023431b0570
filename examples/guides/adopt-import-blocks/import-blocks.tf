# Writes the import blocks for every configuration of a domain, with one
# DescribeLiveLazyPullStreamConfig call, for Terraform versions whose import
# blocks have no for_each (before 1.7):
#
#   terraform apply -refresh-only
#   terraform output -raw lazy_pull_import_blocks > import.tf
data "alicloud_live_lazy_pull_configs" "existing" {
  domain_name = "live.example.com"
}

output "lazy_pull_import_blocks" {
  description = "An import block for each lazy-pull configuration of live.example.com."
  value = join("", [
    for c in data.alicloud_live_lazy_pull_configs.existing.configs : <<-EOT
      import {
        to = alicloud_live_lazy_pull_config.${can(regex("^[0-9]", c.app_name)) ? "app_" : ""}${c.app_name}
        id = "${c.id}"
      }

    EOT
  ])
}
