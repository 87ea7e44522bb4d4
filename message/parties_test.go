package message_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict/message"
)

// party is what a test expects of one party: the values read by eye from
// the sample file.
type party struct {
	Role, Path, Name, BIC, Country, Account string
}

func summary(p message.Party) party {
	return party{p.Role, p.Path, p.Name.Value, p.BIC.Value, p.Country.Value, p.Account.Value}
}

// TestParse_parties compares the parties read from one sample of each
// message type with the values the sample file holds.
func TestParse_parties(t *testing.T) {
	long := "Nmx5x7x9x12x15x18x21x24x27x30x33x36x39x42x45x48x51x54x57x60x63x66x69x72x75x78x81x84x87x90x93x96x100x104x108x112x116x120x124x128x132x136x140x"
	tests := []struct {
		file   string
		format string
		id     string
		cover  bool
		want   []party
		texts  []message.Text
	}{
		{
			file: "iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml", format: "pacs.008.001.08", id: "P008-20260413-5017",
			want: []party{
				{Role: "Fr", Path: "AppHdr/Fr", BIC: "FNTXDE2X"},
				{Role: "To", Path: "AppHdr/To", BIC: "GLPBES2X"},
				{Role: "InstgAgt", Path: "CdtTrfTxInf[0]/InstgAgt", BIC: "FNTXDE2X"},
				{Role: "InstdAgt", Path: "CdtTrfTxInf[0]/InstdAgt", BIC: "GLPBES2X"},
				{Role: "Dbtr", Path: "CdtTrfTxInf[0]/Dbtr", Name: long, Country: "DE"},
				{Role: "DbtrAcct", Path: "CdtTrfTxInf[0]/DbtrAcct", Account: "74829163"},
				{Role: "DbtrAgt", Path: "CdtTrfTxInf[0]/DbtrAgt", BIC: "FNTXDE2X"},
				{Role: "CdtrAgt", Path: "CdtTrfTxInf[0]/CdtrAgt", BIC: "GLPBES2X"},
				{Role: "Cdtr", Path: "CdtTrfTxInf[0]/Cdtr", Name: long, Country: "ES"},
				{Role: "CdtrAcct", Path: "CdtTrfTxInf[0]/CdtrAcct", Account: "31597402"},
			},
		},
		{
			file: "iso20022/cbpr-examples/y2026_pacs.009_cov.min.xml", format: "pacs.009.001.08", id: "EXMsgId", cover: true,
			want: []party{
				{Role: "InstgAgt", Path: "CdtTrfTxInf[0]/InstgAgt", BIC: "ABCDGBWXXXX"},
				{Role: "InstdAgt", Path: "CdtTrfTxInf[0]/InstdAgt", BIC: "PQRSUS56XXX"},
				{Role: "UndrlygCstmrCdtTrf/Dbtr", Path: "CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/Dbtr", Name: "EXAMPLE PARTY NV"},
				{Role: "UndrlygCstmrCdtTrf/Cdtr", Path: "CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/Cdtr", Name: "EXAMPLE PARTY NV"},
			},
		},
		{
			file: "iso20022/cbpr-examples/pacs004_payment_return_sample.xml", format: "pacs.004.001.09", id: "P004-20260413-3390",
			want: []party{
				{Role: "Fr", Path: "AppHdr/Fr", BIC: "RVNTGB2L"},
				{Role: "To", Path: "AppHdr/To", BIC: "HDQCFR2X"},
				{Role: "InstgAgt", Path: "TxInf[0]/InstgAgt", BIC: "RVNTGB2L"},
				{Role: "InstdAgt", Path: "TxInf[0]/InstdAgt", BIC: "HDQCFR2X"},
				{Role: "Dbtr", Path: "TxInf[0]/RtrChain/Dbtr", Name: long},
				{Role: "Cdtr", Path: "TxInf[0]/RtrChain/Cdtr", Name: long},
				{Role: "Orgtr", Path: "TxInf[0]/RtrRsnInf/Orgtr", Name: long},
				{Role: "Dbtr", Path: "TxInf[0]/OrgnlTxRef/Dbtr", Name: long},
				{Role: "Cdtr", Path: "TxInf[0]/OrgnlTxRef/Cdtr", Name: long},
			},
		},
		{
			file: "iso20022/cbpr-examples/pain001_credit_initiation_sample.xml", format: "pain.001.001.09", id: "PN01-20260413-2150",
			want: []party{
				{Role: "Fr", Path: "AppHdr/Fr", BIC: "PTXNAU2S"},
				{Role: "To", Path: "AppHdr/To", BIC: "CVNBSGSX"},
				{Role: "InitgPty", Path: "GrpHdr/InitgPty", Name: long},
				{Role: "Dbtr", Path: "PmtInf[0]/Dbtr", Name: long, Country: "AU"},
				{Role: "DbtrAcct", Path: "PmtInf[0]/DbtrAcct", Account: "60438291"},
				{Role: "DbtrAgt", Path: "PmtInf[0]/DbtrAgt", BIC: "PTXNAU2S"},
				{Role: "CdtrAgt", Path: "PmtInf[0]/CdtTrfTxInf[0]/CdtrAgt", BIC: "CVNBSGSX"},
				{Role: "Cdtr", Path: "PmtInf[0]/CdtTrfTxInf[0]/Cdtr", Name: long, Country: "SG"},
				{Role: "CdtrAcct", Path: "PmtInf[0]/CdtTrfTxInf[0]/CdtrAcct", Account: "GB29NWBK60161331926819"},
			},
		},
		{
			file: "mt/ballerina-mt-mx/p_2_1_1__mt103_pacs_008_C_D.fin", format: "MT103", id: "8a562c67-ca16-48ba-b074-65581be6f001",
			want: []party{
				{Role: "InstdAgt", Path: "{1:}", BIC: "HELSFIHH"},
				{Role: "InstgAgt", Path: "{2:}", BIC: "NDEAFIHH"},
				{Role: "Dbtr", Path: ":50F:", Name: "C Consumer", Country: "GB", Account: "/12547896"},
				{Role: "DbtrAgt", Path: ":52A:", BIC: "RBOSGB2LXXX"},
				{Role: "CdtrAgt", Path: ":57A:", BIC: "HELSFIHHXXX"},
				{Role: "Cdtr", Path: ":59F:", Name: "Evli", Country: "FI", Account: "/98653214"},
				{Role: "PrvsInstgAgt1", Path: ":72:", BIC: "ABNANL2AXXX"},
			},
			texts: []message.Text{{Path: ":70:", Value: "/ROC/pacs008EndToEndId-001"}, {Path: ":72:", Value: "/INS/ABNANL2AXXX"}},
		},
		{
			file: "mt/ballerina-mt-mx/p_2_3_1_b__mt202_pacs_009COV_A_B.fin", format: "MT202COV", id: "7a562c67-ca16-48ba-b074-65581be6f001", cover: true,
			want: []party{
				{Role: "InstdAgt", Path: "{1:}", BIC: "BOFSGB2L"},
				{Role: "InstgAgt", Path: "{2:}", BIC: "CLYDGB2S"},
				{Role: "Dbtr", Path: ":52A:", BIC: "CLYDGB2S"},
				{Role: "CdtrAgt", Path: ":57A:", BIC: "BSCHESMM"},
				{Role: "Cdtr", Path: ":58A:", BIC: "BSCHGB2L"},
				{Role: "PrvsInstgAgt1", Path: ":72:", BIC: "BOFSGB2L"},
				{Role: "UndrlygCstmrCdtTrf/Dbtr", Path: ":50F:", Name: "A Debiter", Country: "GB", Account: "/NOTPROVIDED"},
				{Role: "UndrlygCstmrCdtTrf/DbtrAgt", Path: ":52A:[1]", BIC: "CLYDGB2S"},
				{Role: "UndrlygCstmrCdtTrf/CdtrAgt", Path: ":57A:[1]", BIC: "BSCHGB2L"},
				{Role: "UndrlygCstmrCdtTrf/Cdtr", Path: ":59F:", Name: "B Creditor Co", Country: "ES"},
			},
		},
		{
			file: "mt/ballerina-mt-mx/custom__mt205_pacs_004_1.fin", format: "MT205", id: "174c245f-2682-4291-ad67-2a41e530cd27",
			want: []party{
				{Role: "InstdAgt", Path: "{1:}", BIC: "CHASUS33"},
				{Role: "InstgAgt", Path: "{2:}", BIC: "ANBTUS44"},
				{Role: "Dbtr", Path: ":52A:", BIC: "ANBTUS44XXX"},
				{Role: "CdtrAgt", Path: ":57A:", BIC: "CHASGB2LXXX"},
				{Role: "Cdtr", Path: ":58A:", BIC: "BSCHGB2L"},
			},
		},
		{
			file: "fedwire/fedWireMessage-fiserv.txt", format: "fedwire CTR", id: "2022032400000000000001",
			want: []party{
				{Role: "InstgAgt", Path: "{3100}", Name: "JPMORGAN CHASE"},
				{Role: "InstdAgt", Path: "{3400}", Name: "JPMCHASE"},
				{Role: "CdtrAgt", Path: "{4100}", Name: "JPMC"},
				{Role: "Cdtr", Path: "{4200}", Name: "Test Name", Account: "123455"},
				{Role: "Dbtr", Path: "{5000}", Name: "John Doe", Account: "123456"},
				{Role: "DbtrAgt", Path: "{5100}", Name: "Xxxx First Bank", Account: "998877"},
				{Role: "PrvsInstgAgt1", Path: "{5200}", Name: "Xxxxxxx Bank"},
			},
			texts: []message.Text{{Path: "{6000}", Value: "Test"}, {Path: "{6500}", Value: "Test"}},
		},
		{
			file: "trade-docs/dcsa-ebl/eblissuance-v3.0.0-request.json", format: "dcsa-ebl", id: "TRANSPORT_DOCUMENT_REFERENCE_PLACEHOLDER",
			want: []party{
				{Role: "consignee", Path: "document/documentParties/consignee", Name: "CONSIGNEE_LEGAL_NAME_PLACEHOLDER"},
				{Role: "issuingParty", Path: "document/documentParties/issuingParty", Name: "ISSUING_PARTY_LEGAL_NAME_PLACEHOLDER", Country: "NL"},
				{Role: "notifyParties", Path: "document/documentParties/notifyParties[0]", Name: "IKEA Denmark", Country: "NL"},
				{Role: "SCO", Path: "document/documentParties/other[0]/party", Name: "Asseco Denmark", Country: "NL"},
				{Role: "shipper", Path: "document/documentParties/shipper", Name: "SHIPPER_LEGAL_NAME_PLACEHOLDER"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			ms := readSample(t, tt.file)
			if len(ms) != 1 {
				t.Fatalf("%d messages, want 1", len(ms))
			}
			m := ms[0]
			if m.Format != tt.format || m.ID != tt.id || m.Cover != tt.cover {
				t.Errorf("format %q id %q cover %v, want %q %q %v", m.Format, m.ID, m.Cover, tt.format, tt.id, tt.cover)
			}
			var got []party
			for _, p := range m.Parties {
				if tt.format == "dcsa-ebl" && p.Role == "issueTo" {
					continue
				}
				got = append(got, summary(p))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parties (-want +got):\n%s", diff)
			}
			if tt.texts != nil {
				if diff := cmp.Diff(tt.texts, m.Texts); diff != "" {
					t.Errorf("texts (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestParse_dcsaTransport checks the vessel, ports and goods of the DCSA
// issuance request.
func TestParse_dcsaTransport(t *testing.T) {
	m := readSample(t, "trade-docs/dcsa-ebl/eblissuance-v3.0.0-request.json")[0]
	if len(m.Vessels) != 1 || m.Vessels[0].Name.Value != "King of the Seas" || m.Vessels[0].Name.Path != "document/transports/vesselVoyages[0]/vesselName" {
		t.Errorf("vessels %+v, want King of the Seas at document/transports/vesselVoyages[0]/vesselName", m.Vessels)
	}
	ports := map[string]string{}
	for _, p := range m.Places {
		ports[p.Role] = p.LOCODE.Value
	}
	for role, want := range map[string]string{"portOfLoading": "DEHAM", "portOfDischarge": "DEHAM", "placeOfIssue": "NLAMS"} {
		if ports[role] != want {
			t.Errorf("place %s: LOCODE %q, want %q", role, ports[role], want)
		}
	}
	if len(m.Goods) == 0 || m.Goods[0].Description != "Shoes - black, 400 boxes" {
		t.Errorf("goods %+v, want the description Shoes - black, 400 boxes", m.Goods)
	}
}
