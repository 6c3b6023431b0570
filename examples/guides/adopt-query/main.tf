# Terraform 1.14 and later: terraform query reads the list blocks of the
# *.tfquery.hcl files beside this configuration.
terraform {
  required_version = ">= 1.14"
}
