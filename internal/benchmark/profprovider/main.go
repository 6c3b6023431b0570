// Command profprovider is the real provider, served like the repository's
// main.go, that writes a CPU profile of each of its processes when
// BENCH_CPUPROFILE_DIR is set: DIR/provider-PID.pprof, complete once
// Terraform shuts the plugin down. The benchmark builds it instead of the
// provider under -cpuprofile.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/pluginlog"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/provider"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/registry"
)

func main() {
	if dir := os.Getenv("BENCH_CPUPROFILE_DIR"); dir != "" {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("provider-%d.pprof", os.Getpid())))
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			_ = f.Close()
		}()
	}
	pluginlog.DiscardUnlessRequested(registry.TypeName) // as main.go does
	if err := providerserver.Serve(context.Background(), provider.New("bench"), providerserver.ServeOpts{Address: registry.Address}); err != nil {
		log.Print(err)
	}
}
