// Package boards is the pinout database: TPM connectors (the headers on mainboards and the
// sockets of TPM modules) and the boards that carry them, kept as YAML data files embedded in
// the binary, plus a loader and validator for them and for a user's own files.
//
// # Data files
//
// A data file is one YAML document with up to two top-level lists, connectors and boards. Ids
// are lowercase letters, digits and dashes and are unique across all files, built-in and
// user-supplied alike. Unknown keys are errors, so a misspelt key is reported rather than
// ignored. YAML aliases (*name) are refused: each entry is written out. Every error names
// the file and line.
//
//	connectors:
//	  - id: pcengines-lpc-2x10          # required
//	    name: PC Engines 2x10 LPC header # required, one line
//	    vendor: PC Engines
//	    role: header                     # header (on a mainboard) or module (a TPM module's socket)
//	    bus: lpc                         # lpc or spi (spi headers are listed so LPC wiring is refused)
//	    geometry:
//	      rows: 2                        # 1 or 2
//	      cols: 10                       # pins per row
//	      pitch_mm: 2.54                 # pin spacing
//	      numbering: odd-even            # odd-even (pin 2 opposite pin 1) for 2 rows, single-row for 1
//	      gender: male                   # male (pins), female (socket) or holes (unpopulated)
//	      footprint: header              # header (takes a standard pin header) or holes (does not)
//	      keys: [4]                      # pins that are missing or blocked; their signal is KEY
//	    confidence: 2S                   # of the connector as a whole
//	    sources: [D10, PM]               # source keys, see data/sources.md
//	    chip: Infineon SLB9635 TT1.2     # modules only, optional
//	    notes: free text
//	    pins:                            # exactly rows*cols entries, numbers 1..rows*cols
//	      - pin: 1
//	        signal: LCLK                 # a canonical signal name, see Signals
//	        label: PCICLK                # the vendor's name, optional
//	        dir: h2d                     # optional, defaults from the signal: h2d, d2h, bidir, od, pwr, gnd, none, unknown
//	        level: 3.3V                  # optional, defaults from the signal: 3.3V, 5V, 0V or empty
//	        confidence: 2S               # 2S, 1S, INF, WRITEUP, UNCONFIRMED
//	        sources: [D10, RL, SL]
//	        never: reason                # optional: never connect this pin, and why
//	        note: free text
//
//	boards:
//	  - id: apu1d
//	    name: PC Engines apu1d
//	    aliases: [apu1d4]                # other ids that name this board
//	    vendor: PC Engines
//	    family: apu                      # apu, alix or other: selects the simulator's host profile
//	    chipset: AMD G-T40E APU + A55E FCH
//	    connector: pcengines-lpc-2x10    # the connector its TPM goes on
//	    confidence: 2S
//	    sources: [CB1]
//	    notes: free text
//
// Directions are seen from the host (the mainboard): h2d the host drives, d2h the device
// drives. Confidence tags: 2S two or more independent sources agree, 1S one source, INF
// inferred, WRITEUP only the reference write-up says so, UNCONFIRMED looked for and not found.
//
// # Use
//
// Open returns the built-in database, optionally extended by the YAML files of a directory.
// A board id (or alias) stands for its connector in Resolve, the lookup the command line uses.
package boards
