# After adopting with the data source: the same resources, their settings
# written into the configuration instead of read from the service, so that
# Terraform keeps them as they are. The addresses stay
# alicloud_live_lazy_pull_config.adopted["<app_name>"], so the plan shows no
# change. `terraform console` prints the map for every configuration.
locals {
  lazy_pull = {
    "app01" = {
      "pull_app_name"    = tostring(null)
      "pull_args"        = ""
      "pull_domain_name" = "origin1.example.net;origin2.example.net:1935"
      "pull_protocol"    = "rtmp"
      "transcode_lazy"   = false
    }
    "events" = {
      "pull_app_name"    = "origin_events"
      "pull_args"        = "token=abc"
      "pull_domain_name" = "203.0.113.10:8080"
      "pull_protocol"    = "httpflv"
      "transcode_lazy"   = true
    }
  }
}

resource "alicloud_live_lazy_pull_config" "adopted" {
  for_each = local.lazy_pull

  domain_name      = "live.example.com"
  app_name         = each.key
  pull_domain_name = each.value.pull_domain_name
  pull_app_name    = each.value.pull_app_name
  pull_protocol    = each.value.pull_protocol
  transcode_lazy   = each.value.transcode_lazy
  pull_args        = each.value.pull_args
}
