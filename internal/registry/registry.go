// Package registry names the provider as Terraform and its registries know
// it: the registry address providerserver serves under (and dev_overrides
// point at), and the type name that prefixes every resource type.
package registry

const (
	// Address is the provider's registry address.
	Address = "registry.terraform.io/alicloud-live/alicloud"
	// TypeName is the provider's type name, the prefix of its resource and
	// data source types.
	TypeName = "alicloud"
)
