package tpm

import "fmt"

// Device names a TIS device from its DID_VID register (device ID in bits
// 31:16, vendor ID in bits 15:0).
type Device struct {
	DIDVID      uint32 // the DID_VID register value
	VendorID    uint16 // TIS vendor ID, bits 15:0 of DID_VID
	DeviceID    uint16 // device ID, bits 31:16 of DID_VID
	VendorShort string // e.g. "IFX"; empty when the vendor is unknown
	VendorName  string // e.g. "Infineon"
	DeviceName  string // e.g. "SLB9635 TT 1.2"; empty when the device is unknown
}

// String formats the device for reports: "Infineon SLB9635 TT 1.2
// (DID_VID 0x000B15D1)".
func (d Device) String() string {
	name := d.VendorName
	if name == "" {
		name = fmt.Sprintf("unknown vendor 0x%04X", d.VendorID)
	}
	if d.DeviceName != "" {
		name += " " + d.DeviceName
	} else {
		name += fmt.Sprintf(" device 0x%04X", d.DeviceID)
	}
	return fmt.Sprintf("%s (DID_VID 0x%08X)", name, d.DIDVID)
}

type vendor struct{ short, name string }

var tisVendors = map[uint16]vendor{
	0x15D1: {"IFX", "Infineon"},
	0x1114: {"ATML", "Atmel"},
	0x1050: {"WEC", "Winbond/Nuvoton"},
	0x104A: {"STM", "STMicroelectronics"},
	0x5453: {"STM", "STMicroelectronics"},
	0x14E4: {"BRCM", "Broadcom"},
	0x19FA: {"SNS", "Sinosun"},
	0x8086: {"INTC", "Intel"},
	0x1014: {"IBM", "IBM (QEMU/swtpm)"},
}

var tisDevices = map[uint32]string{
	0x000615D1: "SLD9630 TT 1.1",
	0x000B15D1: "SLB9635 TT 1.2",
	0x001A15D1: "SLB9660 TT 1.2 / SLB9665 TT 2.0",
	0x001B15D1: "SLB9670",
	0x32021114: "AT97SC3203",
	0x32041114: "AT97SC3204",
	0x00FE1050: "WPCT200 / NPCT420AA",
	0x0000104A: "ST33ZP24",
	0x2E4D5453: "ST19WP18",
	0x100214E4: "BCM0102",
	0x687119FA: "SSX35",
	0x10408086: "iTPM (INTC0102)",
	0x00011014: "QEMU/swtpm TIS",
}

// LookupDevice names the vendor and device of a DID_VID value. Unknown
// vendors and devices leave the names empty; 0xFFFFFFFF and 0 (no device
// answering) are unknown too.
func LookupDevice(didvid uint32) Device {
	d := Device{DIDVID: didvid, VendorID: uint16(didvid), DeviceID: uint16(didvid >> 16)}
	if didvid == 0 || didvid == 0xFFFFFFFF {
		return d
	}
	if v, ok := tisVendors[d.VendorID]; ok {
		d.VendorShort, d.VendorName = v.short, v.name
		d.DeviceName = tisDevices[didvid]
	}
	return d
}

var tcgVendors = map[string]string{
	"AMD": "AMD", "ATML": "Atmel", "BRCM": "Broadcom", "CSCO": "Cisco", "FLYS": "Flyslice",
	"GOOG": "Google", "HISI": "Huawei", "HPE": "HPE", "IBM": "IBM", "IFX": "Infineon",
	"INTC": "Intel", "LEN": "Lenovo", "MSFT": "Microsoft", "NSM": "National Semiconductor",
	"NTZ": "Nationz", "NTC": "Nuvoton", "QCOM": "Qualcomm", "ROCC": "Fuzhou Rockchip",
	"SMSC": "SMSC", "SMSN": "Samsung", "SNS": "Sinosun", "STM": "ST Microelectronics",
	"TXN": "Texas Instruments", "WEC": "Winbond",
}

// ManufacturerName returns the vendor name for a TCG vendor ID as found in
// TPM_CAP_PROP_MANUFACTURER, TPM_CAP_VERSION_INFO.tpmVendorID or
// TPM2_PT_MANUFACTURER (0x49465800 → "Infineon"), or "" when unknown.
func ManufacturerName(id uint32) string { return tcgVendors[PropertyText(id)] }
