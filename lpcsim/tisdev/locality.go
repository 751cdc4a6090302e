package tisdev

// readAccess is TPM_ACCESS of locality l. pendingRequest is computed live
// and Seize never reads back, as in QEMU.
func (d *Device) readAccess(l int) uint8 {
	v := d.access[l] & (AccessRequestUse | AccessBeenSeized)
	if d.active == l {
		v |= AccessActiveLocality
	}
	for o := range Localities {
		if o != l && d.access[o]&AccessRequestUse != 0 {
			v |= AccessPendingRequest
			break
		}
	}
	if !d.estab {
		v |= AccessEstablishment
	}
	if d.startup < 0 && !d.p.Faults.NeverValid {
		v |= AccessValid
	}
	return v
}

// writeAccess handles a write to TPM_ACCESS of locality l (0-3): relinquish
// (activeLocality), clear beenSeized, Seize, requestUse (TIS §2.4 of the
// research notes; the same rules as QEMU's tpm-tis).
func (d *Device) writeAccess(l int, v uint8) {
	if v&AccessSeize != 0 {
		v &^= AccessRequestUse | AccessActiveLocality
	}
	next, seized := d.active, false
	if v&AccessActiveLocality != 0 {
		if d.active == l {
			next = d.highestRequest()
		} else {
			d.access[l] &^= AccessRequestUse
		}
	}
	if v&AccessBeenSeized != 0 {
		d.access[l] &^= AccessBeenSeized
	}
	grant := !d.p.Faults.NeverGrant
	if v&AccessSeize != 0 && grant && l > d.active {
		next, seized = l, d.active != noLocality
	}
	if v&AccessRequestUse != 0 && d.active != l {
		if d.active == noLocality && grant {
			next = l
		} else {
			d.access[l] |= AccessRequestUse
		}
	}
	d.setActive(next, seized)
}

// highestRequest is the highest locality with requestUse set, or noLocality.
func (d *Device) highestRequest() int {
	for l := Localities - 1; l >= 0; l-- {
		if d.access[l]&AccessRequestUse != 0 {
			return l
		}
	}
	return noLocality
}

// setActive makes next the active locality. The old one loses activeLocality
// (and, unless seized, its requestUse; when seized it gets beenSeized); the
// FIFO returns to IDLE, dropping a command or response in progress.
func (d *Device) setActive(next int, seized bool) {
	if next == d.active {
		return
	}
	if old := d.active; old != noLocality {
		if seized {
			d.access[old] |= AccessBeenSeized
		} else {
			d.access[old] &^= AccessRequestUse
		}
		d.toIdle()
	}
	d.active = next
	if next != noLocality {
		d.access[next] &^= AccessRequestUse
		d.raise(next, IntLocalityChange)
	}
}
