# Every lazy-pull configuration of live.example.com, managed or not.
list "alicloud_live_lazy_pull_config" "live" {
  provider = alicloud
  limit    = 1000 # the default is 100 results

  config {
    domain_name = "live.example.com"
  }
}

# Only the configuration of the application "events", with all its
# attributes (include_resource) and not only its identity.
list "alicloud_live_lazy_pull_config" "events" {
  provider         = alicloud
  include_resource = true

  config {
    domain_name = "live.example.com"
    app_name    = "events"
  }
}
