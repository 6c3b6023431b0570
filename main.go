// Command terraform-provider-alicloud is a Terraform provider for Alibaba
// Cloud ApsaraVideo Live.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/pluginlog"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/provider"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/registry"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug {
		pluginlog.DiscardUnlessRequested(registry.TypeName)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: registry.Address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
