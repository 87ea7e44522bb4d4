package message_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/internal/evalgen"
	"github.com/interdict/interdict/message"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/pakote"
	"github.com/interdict/interdict/source/ukflat"
)

var (
	scrOnce sync.Once
	scr     *message.Screener
	scrErr  error
	// benchService is the party screener behind scr, for the baseline benchmark.
	benchService *screen.Service
)

// bundledScreener returns a message screener over the bundled snapshot of
// the public lists (in the repository) with the default policy and the
// goods and destination rules, built once per test binary.
func bundledScreener(t testing.TB) *message.Screener {
	t.Helper()
	scrOnce.Do(func() {
		files, _, err := snapshot.Files()
		if err != nil {
			scrErr = err
			return
		}
		// Every bundled list, as `interdict serve` loads them: the
		// publishers' formats and the derived EU and UK copies.
		fmts := append(append(evalgen.Formats(), pakote.Formats...), ukflat.Formats...)
		results, err := source.ParseAll(fmts, files)
		if err != nil {
			scrErr = err
			return
		}
		var ents []interdict.Entity
		for _, r := range results {
			ents = append(ents, r.Entities...)
		}
		p := screen.DefaultPolicy()
		svc, err := screen.NewService(screen.ServiceConfig{Policy: p})
		if err != nil {
			scrErr = err
			return
		}
		benchService = svc
		if _, err := svc.Load(ents, nil); err != nil {
			scrErr = err
			return
		}
		cl, err := classify.New(classify.Options{CountryCode: country.Code, CountryName: country.Name})
		if err != nil {
			scrErr = err
			return
		}
		scr, scrErr = message.NewScreener(message.Options{Parties: svc, Threshold: p.Threshold, Destinations: cl, Goods: cl})
	})
	if scrErr != nil {
		t.Fatal("bundled screener:", scrErr)
	}
	return scr
}

var (
	docOnce sync.Once
	docScr  *message.Screener
	docErr  error
)

// docScreener is bundledScreener with free text scanned by the document
// scanner (package scan) instead of the line scanner.
func docScreener(t testing.TB) *message.Screener {
	t.Helper()
	bundledScreener(t)
	docOnce.Do(func() {
		cl, err := classify.New(classify.Options{CountryCode: country.Code, CountryName: country.Name})
		if err != nil {
			docErr = err
			return
		}
		docScr, docErr = message.NewScreener(message.Options{Parties: benchService, Threshold: screen.DefaultPolicy().Threshold, Destinations: cl, Goods: cl})
		if docErr == nil {
			message.NewDocScanner(docScr, scan.NewLive(benchService))
		}
	})
	if docErr != nil {
		t.Fatal("document-scanning screener:", docErr)
	}
	return docScr
}

func parseOne(t *testing.T, name, data string) *message.Message {
	t.Helper()
	ms, err := message.Parse(name, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 {
		t.Fatalf("%s: %d messages, want 1", name, len(ms))
	}
	return ms[0]
}

func sampleText(t *testing.T, rel string) string {
	t.Helper()
	needSamples(t)
	b, err := os.ReadFile(filepath.Join(samples, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestScreen_samples screens every untouched sample message against every
// bundled list (as `interdict serve` loads them, the derived EU and UK
// copies included) and checks that each is released: none names a listed
// party, a listed bank's BIC, an embargoed place or controlled goods. The
// ordinary short names in them (the Fedwire receiver "Citadel" of a US
// routing number against the Russian LIMITED LIABILITY COMPANY CITADEL,
// "ABC Ltd" against the listed alias "ABC LLC", "Evli" against EVIL CORP)
// are reported as hits without holding the message (see TestScreen_held
// for the listed names that do).
func TestScreen_samples(t *testing.T) {
	t.Run("line-scanner", func(t *testing.T) { testScreenSamples(t, bundledScreener(t)) })
	t.Run("document-scanner", func(t *testing.T) { testScreenSamples(t, docScreener(t)) })
}

func testScreenSamples(t *testing.T, s *message.Screener) {
	n, held := 0, 0
	for _, p := range sampleFiles(t) {
		base := filepath.Base(p)
		if _, bad := broken[base]; bad {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := message.Parse(base, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			n++
			res, err := s.Screen(context.Background(), m)
			if err != nil {
				t.Fatalf("%s: %v", m.Source, err)
			}
			if len(res.Fields) == 0 {
				t.Errorf("%s: no field screened", m.Source)
			}
			if res.Decision == message.Release {
				continue
			}
			held++
			t.Errorf("%s (%s): held: %q", m.Source, m.Format, res.Reasons)
		}
	}
	t.Logf("%d sample messages screened, %d released, %d held", n, n-held, held)
}

// TestScreen_held builds messages that name a listed party or an embargoed
// place from the real samples, one field at a time, and checks that each
// is held for a hit on that field.
func TestScreen_held(t *testing.T) {
	t.Run("line-scanner", func(t *testing.T) { testScreenHeld(t, bundledScreener(t)) })
	t.Run("document-scanner", func(t *testing.T) { testScreenHeld(t, docScreener(t)) })
}

func testScreenHeld(t *testing.T, s *message.Screener) {
	pacs008 := sampleText(t, "iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml")
	mt103 := sampleText(t, "mt/ballerina-mt-mx/p_2_1_1__mt103_pacs_008_C_D.fin")
	mt202cov := sampleText(t, "mt/ballerina-mt-mx/p_2_3_1_b__mt202_pacs_009COV_A_B.fin")
	fedwire := sampleText(t, "fedwire/fedWireMessage-fiserv.txt")
	ebl := sampleText(t, "trade-docs/dcsa-ebl/eblissuance-v3.0.0-request.json")
	pacs009cov := sampleText(t, "iso20022/cbpr-examples/y2026_pacs.009_cov.min.xml")
	pain001 := sampleText(t, "iso20022/cbpr-examples/pain001_credit_initiation_sample.xml")
	pacs004 := sampleText(t, "iso20022/cbpr-examples/pacs004_payment_return_sample.xml")
	placeholder := "Nmx5x7x9x12x15x18x21x24x27x30x33x36x39x42x45x48x51x54x57x60x63x66x69x72x75x78x81x84x87x90x93x96x100x104x108x112x116x120x124x128x132x136x140x"
	ultimate := `<pacs:UltmtCdtr><pacs:Nm>KALAYE ELECTRIC COMPANY</pacs:Nm></pacs:UltmtCdtr>
				<pacs:CdtrAcct>`
	tests := []struct {
		name, file, data string
		field            string // the field the hit must name
		entity           string // the entity ID, place or (part of) the listed name the hit must name
	}{
		{"pacs.008 ultimate creditor", "u.xml", strings.Replace(pacs008, "<pacs:CdtrAcct>", ultimate, 1),
			"CdtTrfTxInf[0]/UltmtCdtr/Nm", "ofac-sdn:10122"},
		{"pacs.008 creditor agent by BIC only", "bic.xml", strings.Replace(pacs008, "<pacs:BICFI>GLPBES2X</pacs:BICFI>\n\t\t\t\t\t</pacs:FinInstnId>\n\t\t\t\t</pacs:CdtrAgt>", "<pacs:BICFI>MELIGB2LXXX</pacs:BICFI>\n\t\t\t\t\t</pacs:FinInstnId>\n\t\t\t\t</pacs:CdtrAgt>", 1),
			"CdtTrfTxInf[0]/CdtrAgt/FinInstnId/BICFI", "ofac-sdn:25420"},
		{"pacs.008 debtor town", "town.xml", strings.Replace(pacs008, "<pacs:TwnNm>TwnNmx8x11x14x17x20x23x26x29x32x35x</pacs:TwnNm>", "<pacs:TwnNm>Bandar Abbas</pacs:TwnNm>", 1),
			"CdtTrfTxInf[0]/Dbtr/PstlAdr", "place:IR"},
		{"pacs.008 remittance information", "rmt.xml", strings.Replace(pacs008, "</pacs:CdtTrfTxInf>", "<pacs:RmtInf><pacs:Ustrd>INV 123 SPARE PARTS FOR MAHAN AIR</pacs:Ustrd></pacs:RmtInf></pacs:CdtTrfTxInf>", 1),
			"CdtTrfTxInf[0]/RmtInf/Ustrd", "ofac-sdn:12927"},
		{"MT103 remittance :70:", "rmt.fin", strings.Replace(mt103, ":70:/ROC/pacs008EndToEndId-001", ":70:/ROC/pacs008EndToEndId-001\r\nINV 123 SPARE PARTS KALAYE ELECTRIC CO", 1),
			":70:", "KALA"},
		{"MT103 sender to receiver information :72:", "72.fin", strings.Replace(mt103, ":72:/INS/ABNANL2AXXX", ":72:/INS/ABNANL2AXXX\r\n//PLS ADVISE BENEFICIARY OF GOODS\r\n//SHIPPED ON BEHALF OF MAHAN AIR", 1),
			":72:", "ofac-sdn:12927"},
		{"pacs.008 instructions for the creditor agent", "instr.xml", strings.Replace(pacs008, "</pacs:CdtTrfTxInf>", "<pacs:InstrForCdtrAgt><pacs:InstrInf>Credit account of Kalaye Electric Company on arrival</pacs:InstrInf></pacs:InstrForCdtrAgt></pacs:CdtTrfTxInf>", 1),
			"CdtTrfTxInf[0]/InstrForCdtrAgt/InstrInf", "KALA"},
		{"MT103 account with institution BIC", "bic.fin", strings.Replace(mt103, ":57A:HELSFIHHXXX", ":57A:MELIGB2L", 1),
			":57A:", "ofac-sdn:25420"},
		{"MT103 beneficiary country", "cc.fin", strings.Replace(mt103, "3/FI/Helsinki", "3/KP/Pyongyang", 1),
			":59F:", "place:KP"},
		{"MT202COV underlying beneficiary", "cov.fin", strings.Replace(mt202cov, "1/B Creditor Co", "1/MAHAN AIR", 1),
			":59F:", "ofac-sdn:12927"},
		{"Fedwire beneficiary", "fw.txt", strings.Replace(fedwire, "*Test Name*", "*MAHAN AIR*", 1),
			"{4200}", "ofac-sdn:12927"},
		{"Fedwire beneficiary, a listed name of one word", "fw1.txt", strings.Replace(fedwire, "*Test Name*", "*HIZBALLAH*", 1),
			"{4200}", "HIZBALLAH"},
		{"Fedwire beneficiary, a listed name whose legal form is left out", "fw2.txt", strings.Replace(fedwire, "*Test Name*", "*CITADEL OOO*", 1),
			"{4200}", "ofac-sdn:41111"},
		{"pacs.008 creditor, the full listed name of a one-word company", "cit.xml", strings.Replace(pacs008, "<pacs:CdtrAcct>", `<pacs:UltmtCdtr><pacs:Nm>LIMITED LIABILITY COMPANY CITADEL</pacs:Nm></pacs:UltmtCdtr>
				<pacs:CdtrAcct>`, 1),
			"CdtTrfTxInf[0]/UltmtCdtr/Nm", "ofac-sdn:41111"},
		{"pacs.009 COV underlying debtor", "cov.xml", strings.Replace(pacs009cov, "EXAMPLE PARTY NV", "MAHAN AIR", 1),
			"CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/Dbtr/Nm", "ofac-sdn:12927"},
		{"pain.001 initiating party", "init.xml", strings.Replace(pain001, placeholder, "KALAYE ELECTRIC COMPANY", 1),
			"GrpHdr/InitgPty/Nm", "KALA"},
		{"pacs.004 return chain debtor", "rtr.xml", strings.Replace(pacs004, placeholder, "MAHAN AIR", 1),
			"TxInf[0]/RtrChain/Dbtr/Pty/Nm", "ofac-sdn:12927"},
		{"DCSA goods", "goods.json", strings.Replace(ebl, `"Shoes - black, 400 boxes"`, `"frequency converter, multiphase, 40 kW, 600-2000 Hz, accuracy 0.1 %"`, 1),
			"document/consignmentItems[0]/descriptionOfGoods", "licence-required"},
		{"DCSA vessel IMO", "imo.json", strings.Replace(ebl, `"vesselName": "King of the Seas"`, `"vesselName": "King of the Seas", "vesselIMONumber": "7406784"`, 1),
			"document/transports/vesselVoyages[0]/vesselIMONumber", "ofac-sdn:4243"},
		{"DCSA port of discharge", "port.json", strings.Replace(ebl, `"locationName": "Hamburg",
        "UNLocationCode": "DEHAM"
      },
      "placeOfDelivery"`, `"locationName": "Bandar Abbas",
        "UNLocationCode": "IRBND"
      },
      "placeOfDelivery"`, 1),
			"document/transports/portOfDischarge/UNLocationCode", "place:IR"},
		{"DCSA Crimea address", "crimea.json", strings.Replace(ebl, `"city": "Amsterdam"`, `"city": "Sevastopol"`, 1),
			"document/documentParties/issuingParty/address", "region:Crimea"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.data, "MAHAN") && !strings.Contains(tt.data, "KALAYE") && tt.data == pacs008 {
				t.Fatal("the sample was not changed")
			}
			m := parseOne(t, tt.file, tt.data)
			res, err := s.Screen(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if res.Decision != message.Hold {
				t.Fatalf("decision %s, want hold; hits %+v", res.Decision, res.Hits)
			}
			found := false
			for _, h := range res.Hits {
				if h.Alert && h.Field == tt.field && (h.EntityID == tt.entity || slices.Contains(h.Also, tt.entity) || strings.Contains(strings.ToUpper(h.Name), strings.ToUpper(tt.entity))) {
					found = true
				}
			}
			if !found {
				var got []string
				for _, h := range res.Hits {
					if h.Alert {
						got = append(got, h.Field+" "+h.EntityID)
					}
				}
				t.Errorf("no alerting hit on %s for %s; alerting hits: %q", tt.field, tt.entity, got)
			}
			if len(res.Reasons) == 0 {
				t.Error("held without a reason")
			}
		})
	}
}
