package tis_test

import (
	"bytes"
	"context"
	"testing"

	gotpm12 "github.com/google/go-tpm/tpm"
	"github.com/google/go-tpm/tpm2"
	"github.com/google/go-tpm/tpm2/transport"

	"tpmbench/lpcsim/tisdev"
	"tpmbench/tis"
)

// Conn is a go-tpm transport.
var _ transport.TPM = (*tis.Conn)(nil)

// TestConnGoTPM2 runs a go-tpm TPM2_GetCapability through our FIFO on the simulated TPM 2.0
// bench and checks it against what the probe read itself.
func TestConnGoTPM2(t *testing.T) {
	b := tpm20Bench(t)
	conn, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{})
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	defer conn.Release()
	if rep.Family != "2.0" {
		t.Fatalf("family %s, want 2.0", rep.Family)
	}
	rsp, err := tpm2.GetCapability{
		Capability:    tpm2.TPMCapTPMProperties,
		Property:      uint32(tpm2.TPMPTManufacturer),
		PropertyCount: 1,
	}.Execute(conn)
	if err != nil {
		t.Fatalf("go-tpm GetCapability over tis.Conn: %v", err)
	}
	props, err := rsp.CapabilityData.Data.TPMProperties()
	if err != nil {
		t.Fatal(err)
	}
	if len(props.TPMProperty) == 0 || props.TPMProperty[0].Value != uint32(rep.Version.Manufacturer) {
		t.Errorf("go-tpm read %+v, the probe read manufacturer %#x", props.TPMProperty, uint32(rep.Version.Manufacturer))
	}
}

// TestConnReadWriterTPM12 drives go-tpm's TPM 1.2 package through Conn as an io.ReadWriter
// (its Read must return the response with a nil error).
func TestConnReadWriterTPM12(t *testing.T) {
	b := deviceBench(t, tisdev.SLB9635())
	conn, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{SkipDetails: true})
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	defer conn.Release()
	if !rep.Startup.Started {
		t.Fatal("the probe did not start the TPM")
	}
	man, err := gotpm12.GetManufacturer(conn)
	if err != nil {
		t.Fatalf("go-tpm GetManufacturer over tis.Conn: %v", err)
	}
	if !bytes.Equal(man, []byte("IFX\x00")) {
		t.Errorf("manufacturer % x, want IFX\\0", man)
	}
}
