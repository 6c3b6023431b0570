# A lazy-pull configuration is imported by "<domain_name>:<app_name>".
terraform import alicloud_live_lazy_pull_config.example live.example.com:live_app
