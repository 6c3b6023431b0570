# When a viewer plays a stream of live.example.com/live_app that nobody is
# pushing, ApsaraVideo Live pulls it over RTMP from the origin servers listed
# in pull_domain_name.
resource "alicloud_live_lazy_pull_config" "example" {
  domain_name      = "live.example.com"
  app_name         = "live_app"
  pull_domain_name = "origin1.example.net;origin2.example.net:1935"
  pull_protocol    = "rtmp"
}

# Pull streams of the "events" application from another origin application,
# over HTTP-FLV, also when a transcoded stream is played, with the
# back-to-origin parameters token=abc.
resource "alicloud_live_lazy_pull_config" "events" {
  domain_name      = "live.example.com"
  app_name         = "events"
  pull_domain_name = "203.0.113.10:8080"
  pull_app_name    = "origin_events"
  pull_protocol    = "httpflv"
  transcode_lazy   = true
  pull_args        = "token=abc"
}
