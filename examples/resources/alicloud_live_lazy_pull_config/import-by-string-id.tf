# Terraform 1.5 and later: bring an existing lazy-pull configuration under
# management. The ID is "<domain_name>:<app_name>". The import block points at
# a resource block (here the one in resource.tf); where that block differs
# from the configuration's current settings, the plan shows the change.
import {
  to = alicloud_live_lazy_pull_config.example
  id = "live.example.com:live_app"
}
