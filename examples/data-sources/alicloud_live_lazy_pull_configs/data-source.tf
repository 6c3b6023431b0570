# Every lazy-pull configuration of a domain, whether Terraform manages it or not.
data "alicloud_live_lazy_pull_configs" "all" {
  domain_name = "live.example.com"
}

# Only the configuration of one application (an empty list when it has none).
data "alicloud_live_lazy_pull_configs" "live_app" {
  domain_name = "live.example.com"
  app_name    = "live_app"
}

output "lazy_pull_app_names" {
  description = "Applications of live.example.com that have a lazy-pull configuration."
  value       = [for c in data.alicloud_live_lazy_pull_configs.all.configs : c.app_name]
}

output "live_app_origins" {
  description = "Origin servers of live_app, or null when it has no configuration."
  value       = one(data.alicloud_live_lazy_pull_configs.live_app.configs[*].pull_domain_name)
}
