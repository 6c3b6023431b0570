# Every lazy-pull configuration of live.example.com, with one
# DescribeLiveLazyPullStreamConfig call:
#
#   terraform query
#   terraform query -generate-config-out=generated.tf
list "alicloud_live_lazy_pull_config" "live" {
  provider = alicloud

  # terraform query returns at most 100 results per list block unless told
  # otherwise: set limit above the number of configurations of the domain.
  limit = 1000

  config {
    domain_name = "live.example.com"
  }
}
